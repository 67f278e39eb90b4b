export { Clock, ManualClock, systemClock } from "./clock.js";
export { CATALOG, MayflyCode, MayflyError, REAUTH_ENV_VAR } from "./errors.js";
export { classify, ClassifyInput, ClassifyOptions } from "./classify/classify.js";
export {
  AuthFailure,
  AuthFailureError,
  Format,
  Kind,
  PermissionDeniedError,
  Recovery,
  toMayflyError,
} from "./classify/authFailure.js";
export { SentCredential, SentInput } from "./classify/sent.js";
export { AccessToken } from "./tokens/accessToken.js";
export { TokenProvider, TokenProviderOptions, TaskRequest, DEFAULT_BROKER } from "./tokens/tokenProvider.js";
export { Backoff, RefreshPolicy, refreshDelayMs, backoffDelayMs } from "./tokens/policy.js";
export { readCachedSession, mayflyHome, CachedSession } from "./tokens/cliCache.js";
export { NoAnswerError, readBounded } from "./http.js";
export { Verifier, VerifierOptions, VerifiedClaims, Decision, bearerToken } from "./verifier/verifier.js";
export { RevocationFeed, RevocationFeedOptions, FeedStatus, Revocation, Granularity } from "./verifier/revocationFeed.js";
export { Rejection, Reason, REASONS } from "./verifier/reason.js";
export { bearerChallenge, failureResponse, FailureResponse } from "./verifier/challenge.js";
export { RemoteJwks, parseJwks } from "./verifier/jwks.js";
export { SseParser, SseEvent } from "./verifier/sse.js";
export { mayflyFetch, MayflyFetch, MayflyFetchOptions } from "./fetch.js";
export { McpAuth, mcpAuth, McpAuthInfo, McpAuthOptions, readJsonBody, PROTECTED_RESOURCE_WELL_KNOWN } from "./mcp/mcpAuth.js";
