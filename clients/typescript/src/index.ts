// The public API of @mayfly/client (docs/typescript.md shows each name in a runnable program). Everything
// else is internal: import it only from this entry point.
export { Clock, ManualClock, systemClock } from "./clock.js";
export { CATALOG, MayflyCode, MayflyError, MayflyErrorFields } from "./errors.js";

// Agents: tokens, the fetch wrapper, the classifier.
export { TokenProvider, TokenProviderOptions, TaskRequest } from "./tokens/tokenProvider.js";
export { AccessToken } from "./tokens/accessToken.js";
export { ClientAssertion, ClientAssertions } from "./tokens/clientAssertions.js";
export { DpopAlgorithm, DpopKey, ProofRequest } from "./dpop/dpopKey.js";
export { mayflyHome } from "./tokens/cliCache.js";
export { mayflyFetch, MayflyFetch, MayflyFetchOptions } from "./fetch.js";
export { classify, ClassifyInput, ClassifyOptions } from "./classify/classify.js";
export { AuthFailure, AuthFailureError, Format, Kind, PermissionDeniedError, Recovery, toMayflyError } from "./classify/authFailure.js";
export { SentInput } from "./classify/sent.js";

// Resource servers: verification, the revocation feed, failure answers, MCP.
export { Verifier, VerifierOptions, VerifiedClaims, Decision, PresentedRequest, bearerToken, dpopToken } from "./verifier/verifier.js";
export { DpopProof, DpopProofOptions, DpopProofVerifier, DpopNonces } from "./verifier/dpopProof.js";
export { DpopRefusal, DpopFailureReason } from "./verifier/dpopFailure.js";
export { RevocationFeed, RevocationFeedOptions, FeedStatus } from "./verifier/revocationFeed.js";
export { failureResponse, FailureResponse, ChallengeOptions } from "./verifier/challenge.js";
export { McpAuth, mcpAuth, McpAuthInfo, McpAuthOptions, readJsonBody } from "./mcp/mcpAuth.js";
