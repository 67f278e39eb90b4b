import { classify } from "../classify/classify.js";
import { AuthFailureError, PermissionDeniedError, toMayflyError } from "../classify/authFailure.js";
import { MayflyError } from "../errors.js";
import { isTimeout, NoAnswerError, readBounded, refused } from "../http.js";
import { isObject } from "../jwt.js";
import { DpopKey } from "../dpop/dpopKey.js";
import { demandedNonce, NonceMemory } from "../dpop/dpopNonce.js";
import { ClientAssertion, JWT_BEARER } from "./clientAssertions.js";

/** One successful answer of `POST /oauth/token` (docs/api.md), times in milliseconds. */
export interface TokenResponse {
  accessToken: string;
  /** `Bearer`, or `DPoP` for a token bound to the key the request proved (RFC 9449 §5). */
  tokenType: string;
  expiresInMs: number;
  refreshAfterMs: number | null;
  refreshToken: string | null;
  sessionId: string | null;
  sessionExpiresInMs: number | null;
  scopes: string[];
  taskId: string | null;
  audience: string[];
  /** When the request was sent, on the caller's clock: expiry is measured from here. */
  sentAt: number;
}

export const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

export interface EndpointOptions {
  brokers: string[];
  clientId?: string;
  clientSecret?: string;
  /** `client_secret_basic` (default) or `client_secret_post`. */
  clientAuth: "basic" | "post";
  /** RFC 7523 §2.2 client authentication instead of a secret: a fresh assertion per login request. */
  clientAssertion?: ClientAssertion;
  /** The key every token request proves possession of (RFC 9449 §5); none for bearer tokens. */
  dpop: () => DpopKey | null;
  requestTimeoutMs: number;
  fetch: typeof fetch;
  now: () => number;
}

/** A 429 or 5xx answer: the next broker may do better, and the attempt is retried after a backoff. */
class BusyAnswer extends MayflyError {}

/**
 * The broker's token and revocation endpoints over several URLs: each attempt tries every URL once,
 * starting with the last that answered. No answer, a 429 or a 5xx moves on to the next URL; any other error
 * answer ends the attempt, since every node shares one database and would say the same. Failures are typed:
 * the broker's refusal as it sent it (AuthFailureError / PermissionDeniedError / MayflyError), no answer as
 * NoAnswerError (UNAVAILABLE or TIMEOUT).
 */
export class TokenEndpoint {
  private preferred = 0;
  /** The last `DPoP-Nonce` each broker handed out (RFC 9449 §8). */
  private readonly nonces = new NonceMemory();
  /** Broker calls made, for tests and metrics. */
  calls = 0;

  constructor(private readonly o: EndpointOptions) {
    if (o.brokers.length === 0) throw new MayflyError({ code: "USAGE", message: "At least one broker URL is required." });
  }

  login(scope?: string, ttlSeconds?: number): Promise<TokenResponse> {
    const form: Record<string, string> = { grant_type: "client_credentials" };
    if (scope) form.scope = scope;
    if (ttlSeconds) form.ttl = String(Math.ceil(ttlSeconds));
    return this.token(form, true);
  }

  /** Whether requests other than a login authenticate the client: only with a secret (an assertion is one-time). */
  private get hasSecret(): boolean {
    return this.o.clientId !== undefined && this.o.clientSecret !== undefined;
  }

  refresh(refreshToken: string): Promise<TokenResponse> {
    return this.token({ grant_type: "refresh_token", refresh_token: refreshToken }, this.hasSecret);
  }

  exchange(subject: string, p: { scope?: string; audience?: string[]; taskId?: string; ttlSeconds?: number }): Promise<TokenResponse> {
    const form: Record<string, string> = {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN_TYPE,
    };
    if (p.scope) form.scope = p.scope;
    if (p.taskId) form.task_id = p.taskId;
    if (p.ttlSeconds) form.ttl = String(Math.ceil(p.ttlSeconds));
    const body = new URLSearchParams(form);
    for (const a of p.audience ?? []) body.append("audience", a);
    return this.attempt("/oauth/token", body, false).then((r) => parse(r.json, r.sentAt));
  }

  /** RFC 7009: best effort; a failure is reported to the caller, who usually ignores it. */
  async revoke(token: string): Promise<void> {
    await this.attempt("/oauth/revoke", new URLSearchParams({ token }), false);
  }

  private async token(form: Record<string, string>, authenticate: boolean): Promise<TokenResponse> {
    const r = await this.attempt("/oauth/token", new URLSearchParams(form), authenticate);
    return parse(r.json, r.sentAt);
  }

  private async attempt(path: string, body: URLSearchParams, authenticate: boolean): Promise<{ json: unknown; sentAt: number }> {
    const n = this.o.brokers.length;
    let last: MayflyError | null = null;
    for (let i = 0; i < n; i++) {
      const index = (this.preferred + i) % n;
      try {
        const r = await this.call(this.o.brokers[index], path, body, authenticate);
        this.preferred = index;
        return r;
      } catch (e) {
        if (e instanceof NoAnswerError || e instanceof BusyAnswer) {
          last = e;
          continue;
        }
        this.preferred = index;
        throw e;
      }
    }
    throw last ?? new MayflyError({ code: "UNAVAILABLE", message: "No broker answered." });
  }

  private async call(base: string, path: string, form: URLSearchParams, authenticate: boolean): Promise<{ json: unknown; sentAt: number }> {
    const url = base.replace(/\/+$/, "") + path;
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
    const body = new URLSearchParams(form);
    if (authenticate && this.o.clientId !== undefined && this.o.clientSecret !== undefined) {
      if (this.o.clientAuth === "post") {
        body.set("client_id", this.o.clientId);
        body.set("client_secret", this.o.clientSecret);
      } else {
        // RFC 6749 §2.3.1: form-encode id and secret before Basic.
        const pair = `${encodeURIComponent(this.o.clientId)}:${encodeURIComponent(this.o.clientSecret)}`;
        headers.Authorization = "Basic " + Buffer.from(pair).toString("base64");
      }
    }
    let sentAt: number;
    let response: Response;
    let text: string;
    for (let nonceRetried = false; ; nonceRetried = true) {
      if (authenticate && !this.hasSecret && this.o.clientAssertion !== undefined) {
        // RFC 7523 §2.2, asked per request: another broker, or the same one again with its nonce, needs a new
        // jti (the broker authenticates the client, and so uses up the assertion, before it checks the proof).
        if (this.o.clientId !== undefined) body.set("client_id", this.o.clientId);
        body.set("client_assertion_type", JWT_BEARER);
        body.set("client_assertion", await this.o.clientAssertion());
      }
      const dpop = path === "/oauth/token" ? this.o.dpop() : null;
      if (dpop !== null) {
        headers.DPoP = await dpop.proof({ method: "POST", url, nonce: this.nonces.get(url), now: this.o.now() });
      }
      this.calls++;
      sentAt = this.o.now();
      try {
        response = await this.o.fetch(url, {
          method: "POST",
          headers,
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(this.o.requestTimeoutMs),
        });
        text = (await readBounded(response, 64 * 1024)).text;
      } catch (e) {
        throw new NoAnswerError(base, !refused(e), isTimeout(e), e);
      }
      if (dpop === null) break;
      const demanded = demandedNonce(response.status, response.headers, text);
      this.nonces.note(url, response.headers);
      // RFC 9449 §8: refused unprocessed for want of the broker's nonce: once more, with it, to the same broker.
      if (demanded === null || nonceRetried) break;
    }
    if (response.status === 200) {
      try {
        return { json: JSON.parse(text), sentAt };
      } catch {
        throw new BusyAnswer({ code: "UNAVAILABLE", message: `${base} answered 200 with a body that is not JSON.` });
      }
    }
    const failure = classify({ status: response.status, headers: response.headers, body: text, sent: "none" }, { clock: { now: this.o.now } });
    if (response.status === 429 || response.status >= 500) {
      const err = failure ? toMayflyError(failure) : null;
      throw new BusyAnswer({
        code: response.status === 429 ? "RATE_LIMITED" : response.status === 504 ? "TIMEOUT" : "UNAVAILABLE",
        message: `${base} answered HTTP ${response.status}.`,
        retryAfterMs: err?.retryAfterMs ?? null,
      });
    }
    if (path === "/oauth/revoke") {
      throw failure ? toMayflyError(failure) : new MayflyError({ code: "INTERNAL", message: `revoke answered ${response.status}` });
    }
    if (!failure) throw new MayflyError({ code: "INTERNAL", message: `${base} answered HTTP ${response.status}.` });
    if (failure.kind === "DENIED") throw new PermissionDeniedError(failure);
    if (failure.code !== null && failure.code.startsWith("CREDENTIALS_")) throw new AuthFailureError(failure);
    throw toMayflyError(failure);
  }
}

function parse(json: unknown, sentAt: number): TokenResponse {
  if (!isObject(json) || typeof json.access_token !== "string" || typeof json.expires_in !== "number") {
    throw new MayflyError({ code: "UNAVAILABLE", message: "The broker's token response lacks access_token or expires_in." });
  }
  const seconds = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v * 1000 : null);
  const aud = json.audience;
  return {
    accessToken: json.access_token,
    tokenType: typeof json.token_type === "string" ? json.token_type : "Bearer",
    expiresInMs: json.expires_in * 1000,
    refreshAfterMs: seconds(json.refresh_after),
    refreshToken: typeof json.refresh_token === "string" ? json.refresh_token : null,
    sessionId: typeof json.session_id === "string" ? json.session_id : null,
    sessionExpiresInMs: seconds(json.session_expires_in),
    scopes: typeof json.scope === "string" ? json.scope.split(" ").filter(Boolean) : [],
    taskId: typeof json.task_id === "string" ? json.task_id : null,
    audience: Array.isArray(aud) ? aud.map(String) : typeof aud === "string" ? aud.split(" ").filter(Boolean) : [],
    sentAt,
  };
}
