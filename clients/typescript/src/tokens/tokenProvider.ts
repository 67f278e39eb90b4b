import { Clock, systemClock } from "../clock.js";
import { AuthFailureError } from "../classify/authFailure.js";
import { MayflyError } from "../errors.js";
import { NoAnswerError } from "../http.js";
import { DpopKey } from "../dpop/dpopKey.js";
import { AccessToken } from "./accessToken.js";
import { ClientAssertion } from "./clientAssertions.js";
import { mayflyHome, readCachedSession } from "./cliCache.js";
import { Backoff, DEFAULT_BACKOFF, DEFAULT_REFRESH, RefreshPolicy, refreshDelayMs } from "./policy.js";
import { TokenEndpoint, TokenResponse } from "./tokenEndpoint.js";
import { TokenSlot, transient } from "./tokenSlot.js";

export interface TokenProviderOptions {
  /** One broker URL or several, tried in turn starting with the last that answered. */
  broker?: string | string[];
  /** Log in with client credentials (RFC 6749 §4.4), and again whenever the session ends. */
  clientId?: string;
  clientSecret?: string;
  clientAuth?: "basic" | "post";
  /**
   * Log in without a secret (RFC 7523 §2.2), with `clientId`: a function giving a fresh assertion per login,
   * e.g. `ClientAssertions.privateKeyJwt(...)` or `ClientAssertions.federated(broker)`.
   */
  clientAssertion?: ClientAssertion;
  /**
   * Bind every token to this key (RFC 9449): each grant carries a proof, the broker issues `token_type` DPoP
   * (`cnf.jkt`), and `mayflyFetch` presents them as `Authorization: DPoP` with a fresh proof per request.
   */
  dpop?: DpopKey;
  /** A bare access token (like MAYFLY_TOKEN): used as it is, never refreshed. */
  token?: string;
  /** Start from the `mayfly` CLI's cached session under this MAYFLY_HOME (read-only; see docs). */
  cachedSession?: { home?: string } | boolean;
  /** Narrow the session at login. */
  scope?: string | string[];
  /** Used only while no broker answers: e.g. a function that reads a token from a secrets vault. */
  fallback?: () => Promise<string> | string;
  refresh?: Partial<RefreshPolicy>;
  backoff?: Partial<Backoff>;
  /** Per request to one broker (default 10 s, real time). */
  requestTimeoutMs?: number;
  /** How long a caller without a valid token may wait for a renewal that is backing off (default 10 s). */
  acquireTimeoutMs?: number;
  /** Renew in the background at the refresh point (default true); else only when asked after it. */
  background?: boolean;
  revokeOnClose?: boolean;
  clock?: Clock;
  random?: () => number;
  fetch?: typeof fetch;
}

/** What `task()` asks for: a token narrower than the session, for one audience and task. */
export interface TaskRequest {
  scope?: string | string[];
  audience?: string | string[];
  taskId?: string;
  /** Seconds; a wish that policy may shorten. */
  ttl?: number;
}

export const DEFAULT_BROKER = "http://127.0.0.1:8470";

/**
 * Hands out the session token and per-task tokens, refreshes each ahead of expiry (the broker's jittered
 * `refresh_after` plus the client's jitter), shares one renewal among concurrent callers, backs off with full
 * jitter through broker outages while serving the current token until it really expires, fails over across
 * several broker URLs, and logs in again when the session ends. Mirrors the Java SDK's TokenSource.
 */
export class TokenProvider {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly endpoint: TokenEndpoint;
  private readonly policy: RefreshPolicy;
  private readonly closer = new AbortController();
  private readonly session: TokenSlot;
  private readonly tasks = new Map<string, TokenSlot>();
  private readonly brokers: string[];
  private refreshToken: string | null = null;
  private refreshTorn = false;
  private sessionEndsAt: number | null = null;
  private readonly source: "client_credentials" | "token" | "cached_session";
  private readonly slotOptions: (background: boolean) => ConstructorParameters<typeof TokenSlot>[1];
  /** The last access token's lifetime: a session with less than half of it left is not refreshed but renewed by login. */
  private lastLifetime: number | null = null;
  /** The DPoP key of the CLI's cached session (`dpop_key`), when it has one. */
  private cachedDpop: { text: string; key: DpopKey } | null = null;

  constructor(private readonly o: TokenProviderOptions) {
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? Math.random;
    this.policy = { ...DEFAULT_REFRESH, ...o.refresh };
    const brokers = o.broker === undefined ? [DEFAULT_BROKER] : Array.isArray(o.broker) ? o.broker : [o.broker];
    this.brokers = brokers.map((b) => b.replace(/\/+$/, ""));
    if (o.clientId !== undefined && (o.clientSecret !== undefined || o.clientAssertion !== undefined)) this.source = "client_credentials";
    else if (o.token !== undefined) this.source = "token";
    else if (o.cachedSession) this.source = "cached_session";
    else {
      throw new MayflyError({
        code: "CREDENTIALS_MISSING",
        message: "No credential: give clientId and clientSecret (or clientAssertion), a token, or cachedSession.",
        reauthCommand: "mayfly auth login",
      });
    }
    this.endpoint = new TokenEndpoint({
      brokers: this.brokers,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      clientAuth: o.clientAuth ?? "basic",
      clientAssertion: o.clientAssertion,
      dpop: () => this.dpopKey,
      requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
      fetch: o.fetch ?? globalThis.fetch,
      now: () => this.clock.now(),
    });
    const slotOptions = (background: boolean) => ({
      clock: this.clock,
      random: this.random,
      backoff: { ...DEFAULT_BACKOFF, ...o.backoff },
      acquireTimeoutMs: o.acquireTimeoutMs ?? 10_000,
      closed: this.closer.signal,
      background,
    });
    this.session = new TokenSlot(() => this.renewSession(), slotOptions(o.background ?? this.source === "client_credentials"));
    this.slotOptions = slotOptions;
    if (this.source === "token") this.session.set(AccessToken.of(o.token as string));
  }

  /**
   * From the environment, as the `mayfly` CLI reads it: MAYFLY_URL (default http://127.0.0.1:8470),
   * MAYFLY_CLIENT_ID + MAYFLY_CLIENT_SECRET, else MAYFLY_TOKEN, else the CLI's cached session in MAYFLY_HOME.
   */
  static fromEnv(options: Omit<TokenProviderOptions, "clientId" | "clientSecret" | "token" | "cachedSession"> = {},
    env: NodeJS.ProcessEnv = process.env): TokenProvider {
    const broker = options.broker ?? (env.MAYFLY_URL ? env.MAYFLY_URL.split(",") : DEFAULT_BROKER);
    if (env.MAYFLY_CLIENT_ID && options.clientAssertion) {
      return new TokenProvider({ ...options, broker, clientId: env.MAYFLY_CLIENT_ID });
    }
    if (env.MAYFLY_CLIENT_ID && env.MAYFLY_CLIENT_SECRET) {
      return new TokenProvider({ ...options, broker, clientId: env.MAYFLY_CLIENT_ID, clientSecret: env.MAYFLY_CLIENT_SECRET });
    }
    if (env.MAYFLY_TOKEN) return new TokenProvider({ ...options, broker, token: env.MAYFLY_TOKEN });
    return new TokenProvider({ ...options, broker, cachedSession: { home: mayflyHome(env) } });
  }

  /** The session token's value, for an `Authorization: Bearer` header. */
  async token(): Promise<string> {
    return (await this.sessionToken()).reveal();
  }

  /** The session token; while no broker answers and it has expired, the fallback source's token, if any. */
  async sessionToken(): Promise<AccessToken> {
    try {
      return await this.session.get();
    } catch (e) {
      if (this.o.fallback && transient(e)) return AccessToken.of(await this.o.fallback());
      throw e;
    }
  }

  /**
   * A task token by token exchange (RFC 8693): one audience, a subset of the scopes, one task id. One token is
   * kept per distinct request and renewed while it is in use; same request, same token, no broker call.
   */
  async task(request: TaskRequest = {}): Promise<AccessToken> {
    const scope = joinScopes(request.scope);
    const audience = request.audience === undefined ? [] : Array.isArray(request.audience) ? [...request.audience] : [request.audience];
    const key = JSON.stringify([scope, [...audience].sort(), request.taskId ?? null, request.ttl ?? null]);
    this.dropExpiredTasks(key);
    let slot = this.tasks.get(key);
    if (slot === undefined) {
      slot = new TokenSlot(() => this.exchange(scope, audience, request), this.slotOptions(false));
      this.tasks.set(key, slot);
    }
    return slot.get();
  }

  /** Forgets task tokens that expired unused: a task nobody asks for again is not kept (nor renewed). */
  private dropExpiredTasks(keep: string): void {
    if (this.tasks.size < 32) return;
    const now = this.clock.now();
    for (const [key, slot] of this.tasks) {
      const t = slot.peek();
      if (key !== keep && (t === null || t.isExpired(now)) && !slot.busy) this.tasks.delete(key);
    }
  }

  /**
   * A server said `rejected` expired: renew the token it belongs to (shared with concurrent callers; a token
   * already replaced is not renewed twice).
   */
  async refresh(rejected: AccessToken | string | null = null): Promise<AccessToken> {
    const value = rejected === null ? null : typeof rejected === "string" ? rejected : rejected.reveal();
    for (const slot of this.tasks.values()) {
      if (value !== null && slot.peek()?.reveal() === value) return slot.refresh(value);
    }
    return this.session.refresh(value);
  }

  /** The key tokens are bound to: the `dpop` option's, or the CLI cached session's; null for bearer tokens. */
  get dpopKey(): DpopKey | null {
    return this.o.dpop ?? this.cachedDpop?.key ?? null;
  }

  /** The broker URLs, the only origins the session token is sent to. */
  brokerOrigins(): string[] {
    return [...this.brokers];
  }

  /** Broker calls made so far (logins, refreshes, exchanges), for tests and metrics. */
  get brokerCalls(): number {
    return this.endpoint.calls;
  }

  /** Stops all renewals (waiting callers get PRECONDITION) and, with revokeOnClose, revokes the session. */
  async close(): Promise<void> {
    if (this.closer.signal.aborted) return;
    this.closer.abort();
    if (this.o.revokeOnClose && this.refreshToken !== null) {
      await this.endpoint.revoke(this.refreshToken).catch(() => undefined);
    }
  }

  private async renewSession(): Promise<AccessToken> {
    if (this.source === "token") {
      // A bare token is never refreshed: its owner renews it. The broker's answer to it is what callers get.
      return AccessToken.of(this.o.token as string);
    }
    if (this.source === "cached_session") return this.fromCache();
    const now = this.clock.now();
    const nearlyOver = this.sessionEndsAt !== null && this.lastLifetime !== null && this.sessionEndsAt - now < this.lastLifetime / 2;
    if (this.refreshToken !== null && !this.refreshTorn && !nearlyOver) {
      try {
        return this.adopt(await this.endpoint.refresh(this.refreshToken));
      } catch (e) {
        if (e instanceof NoAnswerError && e.torn) {
          // The broker may have rotated the refresh token without our hearing it: presenting it again would be
          // reuse, which revokes the session. Log in instead next time.
          this.refreshTorn = true;
          throw e;
        }
        const over = e instanceof AuthFailureError && (e.code === "CREDENTIALS_EXPIRED" || e.code === "CREDENTIALS_INVALID");
        if (!over) throw e;
      }
    }
    return this.adopt(await this.endpoint.login(joinScopes(this.o.scope) || undefined));
  }

  private adopt(r: TokenResponse): AccessToken {
    this.refreshToken = r.refreshToken ?? this.refreshToken;
    this.refreshTorn = false;
    this.lastLifetime = r.expiresInMs;
    if (r.sessionExpiresInMs !== null) this.sessionEndsAt = r.sentAt + r.sessionExpiresInMs;
    return this.tokenOf(r);
  }

  private tokenOf(r: TokenResponse): AccessToken {
    return new AccessToken(r.accessToken, r.sentAt + r.expiresInMs,
      r.sentAt + refreshDelayMs(r.expiresInMs, r.refreshAfterMs, this.policy, this.random), {
        sessionId: r.sessionId,
        taskId: r.taskId,
        scopes: r.scopes,
        audience: r.audience,
        tokenType: r.tokenType,
      });
  }

  private fromCache(): AccessToken {
    const home = typeof this.o.cachedSession === "object" && this.o.cachedSession.home ? this.o.cachedSession.home : mayflyHome();
    const s = readCachedSession(home, this.brokers[0]);
    if (s === null) {
      throw new MayflyError({
        code: "CREDENTIALS_MISSING",
        message: `Not logged in to ${this.brokers[0]}: no session in ${home}/credentials.json.`,
        reauthCommand: "mayfly auth login",
      });
    }
    const now = this.clock.now();
    if (now >= s.expiresAt) {
      // Renewing would present the refresh token outside the CLI's lock; `mayfly auth refresh` does it safely.
      const sessionOver = !Number.isNaN(s.sessionExpiresAt) && now >= s.sessionExpiresAt;
      throw new MayflyError({
        code: "CREDENTIALS_EXPIRED",
        message: `The cached session's access token expired at ${new Date(s.expiresAt).toISOString()}.`,
        expiredAt: new Date(Math.floor(s.expiresAt / 1000) * 1000).toISOString().replace(".000Z", "Z"),
        reauthCommand: sessionOver ? "mayfly auth login" : "mayfly auth refresh",
      });
    }
    // Re-read when due: the CLI (or another agent) may have refreshed it meanwhile.
    const refreshAt = Math.max(s.refreshAfter, now + 1000);
    if (s.dpopKey !== null && this.cachedDpop?.text !== s.dpopKey) {
      this.cachedDpop = { text: s.dpopKey, key: DpopKey.fromJwk(s.dpopKey) };
    }
    return new AccessToken(s.accessToken, s.expiresAt, Math.min(refreshAt, s.expiresAt), {
      sessionId: s.sessionId,
      scopes: s.scopes,
      tokenType: AccessToken.of(s.accessToken).tokenType,
    });
  }

  private async exchange(scope: string, audience: string[], request: TaskRequest): Promise<AccessToken> {
    for (let tries = 0; ; tries++) {
      const subject = await this.sessionToken();
      try {
        return this.tokenOf(await this.endpoint.exchange(subject.reveal(), {
          scope: scope || undefined,
          audience,
          taskId: request.taskId,
          ttlSeconds: request.ttl,
        }));
      } catch (e) {
        // The broker judged the session token expired (clock skew) or revoked as a single token: renew it once.
        const renewable = e instanceof AuthFailureError && this.source === "client_credentials" && tries === 0
          && (e.code === "CREDENTIALS_EXPIRED" || (e.code === "CREDENTIALS_REVOKED" && e.failure.recovery === "REFRESH"));
        if (!renewable) throw e;
        await this.session.refresh(subject.reveal());
      }
    }
  }
}

function joinScopes(s: string | string[] | undefined): string {
  if (s === undefined) return "";
  return (Array.isArray(s) ? s : s.split(" ")).filter(Boolean).join(" ");
}
