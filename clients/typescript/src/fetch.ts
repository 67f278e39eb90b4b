import { AuthFailure, AuthFailureError, PermissionDeniedError } from "./classify/authFailure.js";
import { classify } from "./classify/classify.js";
import { Clock, systemClock } from "./clock.js";
import { demandedNonce, NonceMemory } from "./dpop/dpopNonce.js";
import { MayflyError } from "./errors.js";
import { MAX_ERROR_BODY, readBounded } from "./http.js";
import { AccessToken } from "./tokens/accessToken.js";
import { TaskRequest, TokenProvider } from "./tokens/tokenProvider.js";

export interface MayflyFetchOptions {
  /**
   * The token for a request to a host other than the broker's: by default a task token for that origin as
   * audience (the session token never leaves for another host). Return a TaskRequest to choose scope, task
   * id or audience; the default is `{audience: origin}`.
   */
  taskFor?: (url: URL) => TaskRequest;
  /** Hosts (origins) that may receive the session token; default: the provider's broker URLs. */
  sessionOrigins?: string[];
  /** Bodies larger than this are not replayed after a refresh (default 1 MiB). */
  maxReplayBytes?: number;
  clock?: Clock;
  fetch?: typeof fetch;
}

export type MayflyFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` that attaches a Mayfly token (replacing any Authorization header), classifies failures, refreshes
 * and replays once on expiry, and throws typed errors otherwise, like the Java AuthenticatedHttpClient:
 *
 * - below 400: the response;
 * - EXPIRED: refresh (single flight) and send once more when the body is replayable (none, string, bytes,
 *   URLSearchParams up to maxReplayBytes); a stream is not replayed: AuthFailureError (EXPIRED, retryable);
 * - DENIED: PermissionDeniedError with requiredScope and missingScopes;
 * - REVOKED, INVALID, MISSING, or EXPIRED again after the replay: AuthFailureError;
 * - anything else (429, 503, 404, UNKNOWN): the response, its body intact.
 *
 * The session token goes only to the broker's own origins; any other host gets a task token audienced to it.
 *
 * A DPoP-bound token (RFC 9449 §7.1) goes as `Authorization: DPoP <token>` with a fresh proof for this method and
 * URL (with `ath`, and the server's last `DPoP-Nonce`); a 401 demanding a nonce (`use_dpop_nonce`) is answered
 * by sending once more with it (the request was not processed), the nonce remembered per origin.
 */
export function mayflyFetch(provider: TokenProvider, options: MayflyFetchOptions = {}): MayflyFetch {
  const inner = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const maxReplay = options.maxReplayBytes ?? MAX_ERROR_BODY;
  const sessionOrigins = new Set((options.sessionOrigins ?? provider.brokerOrigins()).map((o) => new URL(o).origin));
  const nonces = new NonceMemory();

  const tokenFor = (url: URL): Promise<AccessToken> =>
    sessionOrigins.has(url.origin) ? provider.sessionToken() : provider.task(options.taskFor ? options.taskFor(url) : { audience: url.origin });

  return async function fetchWithMayfly(input, init = {}) {
    const { request, body } = await unpack(input, init);
    const url = new URL(request.url);
    const replay = await replayableBody(body, maxReplay);
    let token = await tokenFor(url);
    let expiredFirst: AuthFailure | null = null;
    let nonceRetried = false;
    for (let sent = 0; ; sent++) {
      const headers = new Headers(request.headers);
      headers.set("Authorization", token.authorization());
      const bound = token.tokenType.toLowerCase() === "dpop";
      if (bound) headers.set("DPoP", await proofFor(provider, request, token, nonces.get(url), clock.now()));
      else headers.delete("DPoP");
      const response = await inner(request.url, {
        ...init,
        method: request.method,
        headers,
        body: sent === 0 ? (body ?? null) : replay.body,
        signal: init.signal ?? request.signal,
      } as RequestInit);
      if (bound) nonces.note(url, response.headers);
      if (response.status < 400) return response;
      const { text } = await readBounded(response, MAX_ERROR_BODY);
      const failure = classify(
        { status: response.status, headers: response.headers, body: text, sent: { jwt: token.reveal() } },
        { clock },
      );
      const rebuilt = () => new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
      if (failure === null) return rebuilt();
      const nonce = bound ? demandedNonce(response.status, response.headers, text) : null;
      if (nonce !== null && !nonceRetried) {
        // RFC 9449 §9: refused unprocessed for want of the server's nonce (remembered above): once more, with it.
        nonceRetried = true;
        if (replay.ok) continue;
        // A stream cannot be sent again: the caller resends it, and the nonce is known by then.
        throw new AuthFailureError(Object.freeze({ ...failure, recovery: "RETRY_WITH_NONCE", retryable: true, dpopNonce: nonce }));
      }
      switch (failure.kind) {
        case "EXPIRED":
          if (expiredFirst !== null) throw new AuthFailureError(reportingTheExpiryThatHappened(failure, expiredFirst));
          expiredFirst = failure;
          token = await provider.refresh(token);
          if (!replay.ok) throw new AuthFailureError(failure); // refreshed; the caller resends its stream
          continue;
        case "DENIED":
          throw new PermissionDeniedError(failure);
        case "REVOKED":
          // A single token revoked by the broker: drop it so the next call gets a new one.
          if (failure.recovery === "REFRESH") await provider.refresh(token).catch(() => undefined);
          throw new AuthFailureError(failure);
        case "INVALID":
        case "MISSING":
          throw new AuthFailureError(failure);
        default:
          return rebuilt();
      }
    }
  };
}

/**
 * A proof for one request with a DPoP-bound token, by the provider's key. A bound token without that key cannot
 * be presented at all: PRECONDITION, before anything is sent.
 */
function proofFor(provider: TokenProvider, request: Request, token: AccessToken, nonce: string | null, now: number): Promise<string> {
  const key = provider.dpopKey;
  if (key === null) {
    throw new MayflyError({
      code: "PRECONDITION",
      message: "The token is bound to a DPoP key (token_type DPoP) that this provider does not hold; give TokenProvider the dpop key.",
    });
  }
  return key.proof({ method: request.method, url: request.url, accessToken: token.reveal(), nonce, now });
}

/**
 * A replay refused as expired again: the fresh token's `exp` lies ahead, so the expiry to report is the one
 * the first answer established (or none), never the new token's.
 */
function reportingTheExpiryThatHappened(again: AuthFailure, first: AuthFailure): AuthFailure {
  if (again.expiredAt !== null || first.expiredAt === null) return again;
  return Object.freeze({ ...again, expiredAt: first.expiredAt });
}

/**
 * The request without its body, and the body apart: a Request passed without init.body carries its own,
 * which is read once here so that it can be sent, and replayed.
 */
async function unpack(input: string | URL | Request, init: RequestInit): Promise<{ request: Request; body: BodyInit | null | undefined }> {
  if (!(input instanceof Request)) return { request: new Request(input, { ...init, body: undefined }), body: init.body };
  const body = init.body === undefined && input.body !== null ? await input.clone().arrayBuffer() : init.body;
  return { request: new Request(input.url, { method: input.method, headers: input.headers, ...init, body: undefined }), body };
}

async function replayableBody(body: BodyInit | null | undefined, max: number): Promise<{ ok: boolean; body: BodyInit | null }> {
  if (body == null) return { ok: true, body: null };
  if (typeof body === "string") return { ok: Buffer.byteLength(body) <= max, body };
  if (body instanceof URLSearchParams) return { ok: true, body: body.toString() };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return { ok: body.byteLength <= max, body };
  if (typeof Blob !== "undefined" && body instanceof Blob) return { ok: body.size <= max, body };
  return { ok: false, body: null };
}
