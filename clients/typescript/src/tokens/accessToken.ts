import { inspect } from "node:util";
import { isoSeconds } from "../clock.js";
import { readUnverified } from "../jwt.js";

/**
 * An access token with what is known about it. The value is a secret: `toString`, `toJSON` and
 * `util.inspect` redact it; `reveal()` or `authorization()` hand it out for a header. Times are epoch ms.
 */
export class AccessToken {
  readonly #value: string;

  constructor(
    value: string,
    /** When it expires on this client's clock (request time + expires_in), or null when unknown. */
    readonly expiresAt: number | null,
    /** When to renew it (refresh_after plus jitter), or null for a token this package does not renew. */
    readonly refreshAt: number | null,
    readonly info: {
      sessionId?: string | null;
      taskId?: string | null;
      scopes?: string[];
      audience?: string[];
      /** `Bearer`, or `DPoP` for a token bound to a DPoP key (RFC 9449). */
      tokenType?: string;
    } = {},
  ) {
    this.#value = value;
  }

  /** A token from elsewhere (MAYFLY_TOKEN, a pipe, a fallback source): expiry from its own `exp`, unverified. */
  static of(value: string): AccessToken {
    const claims = readUnverified(value)?.claims ?? {};
    const exp = typeof claims.exp === "number" ? claims.exp * 1000 : null;
    const cnf = claims.cnf as { jkt?: unknown } | undefined;
    return new AccessToken(value, exp, null, {
      tokenType: typeof cnf === "object" && cnf !== null && typeof cnf.jkt === "string" ? "DPoP" : "Bearer",
      sessionId: typeof claims.sid === "string" ? claims.sid : null,
      taskId: typeof claims.task === "string" ? claims.task : null,
      scopes: typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [],
      audience: Array.isArray(claims.aud) ? claims.aud.map(String) : typeof claims.aud === "string" ? [claims.aud] : [],
    });
  }

  reveal(): string {
    return this.#value;
  }

  /**
   * The `Authorization` header value: `Bearer <token>`, or `DPoP <token>` for a DPoP-bound one, which a server
   * accepts only with a proof beside it (`mayflyFetch` signs one per request).
   */
  authorization(): string {
    return `${this.tokenType} ${this.#value}`;
  }

  /** `Bearer`, or `DPoP` when the broker bound the token to the provider's DPoP key. */
  get tokenType(): string {
    return this.info.tokenType ?? "Bearer";
  }

  isExpired(now: number): boolean {
    return this.expiresAt !== null && now >= this.expiresAt;
  }

  get taskId(): string | null {
    return this.info.taskId ?? null;
  }

  get sessionId(): string | null {
    return this.info.sessionId ?? null;
  }

  get scopes(): string[] {
    return this.info.scopes ?? [];
  }

  get audience(): string[] {
    return this.info.audience ?? [];
  }

  toString(): string {
    const what = this.taskId ? `task ${this.taskId}` : this.sessionId ? `session ${this.sessionId}` : "token";
    return `AccessToken[${what}, expiresAt=${this.expiresAt === null ? "unknown" : isoSeconds(this.expiresAt)}, value=redacted]`;
  }

  toJSON(): Record<string, unknown> {
    return { ...this.info, expiresAt: this.expiresAt === null ? null : isoSeconds(this.expiresAt), value: "redacted" };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
