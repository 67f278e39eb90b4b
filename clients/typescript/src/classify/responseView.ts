import { isObject } from "../jwt.js";
import { Challenge, parseChallenges } from "./challenge.js";
import { parseOffsetDateTime } from "./instants.js";
import { SentCredential } from "./sent.js";

/** Bodies beyond this are not parsed: error bodies are small, and a classifier must not be a parser DoS. */
export const MAX_BODY = 256 * 1024;
/** A plain-text body longer than this is a page, not a message. */
const MAX_TEXT_BODY = 2048;
const MESSAGE_FIELDS = ["error_description", "message", "Message", "msg", "detail", "error", "errorSummary", "exp", "nbf"];

export type HeaderInput = Headers | Record<string, string | readonly string[] | undefined> | null | undefined;

/**
 * One response as the format readers see it: status, headers (case-insensitive), body (parsed as JSON once,
 * lazily), the challenges of `WWW-Authenticate`, what was sent, and the time. Built per classification.
 */
export class ResponseView {
  private readonly headers = new Map<string, string[]>();
  private parsed = false;
  private jsonValue: Record<string, unknown> | null = null;
  private challengeList: Challenge[] | null = null;
  private messages: string[] | null = null;

  constructor(
    readonly status: number,
    headers: HeaderInput,
    readonly body: string,
    readonly sent: SentCredential,
    readonly now: number,
    private readonly skewMs: number,
  ) {
    if (headers instanceof Headers) {
      headers.forEach((value, name) => this.add(name, value));
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) {
        if (value == null) continue;
        if (Array.isArray(value)) for (const v of value) this.add(name, String(v));
        else this.add(name, String(value));
      }
    }
  }

  private add(name: string, value: string): void {
    const key = name.toLowerCase();
    const list = this.headers.get(key);
    if (list) list.push(value);
    else this.headers.set(key, [value]);
  }

  /** The first value of a header, case-insensitively (RFC 9110 §5.1), or null. */
  header(name: string): string | null {
    return this.headers.get(name.toLowerCase())?.[0] ?? null;
  }

  /** The body as a JSON object, or null when it is not one. */
  json(): Record<string, unknown> | null {
    if (!this.parsed) {
      this.parsed = true;
      const trimmed = this.body.trim();
      if (trimmed.startsWith("{") && trimmed.length <= MAX_BODY) {
        try {
          const v: unknown = JSON.parse(trimmed);
          this.jsonValue = isObject(v) ? v : null;
        } catch {
          this.jsonValue = null;
        }
      }
    }
    return this.jsonValue;
  }

  challenges(): Challenge[] {
    if (this.challengeList === null) this.challengeList = parseChallenges(this.headers.get("www-authenticate") ?? []);
    return this.challengeList;
  }

  /**
   * The sent token's expiry when it has passed (allowing the clock skew), for an answer that calls the token
   * expired without saying when; null when it lies ahead. A server that calls a token expired whose `exp` is
   * still ahead (a replay with a token minted a moment ago, a skewed clock) has not said when anything
   * expired, and a future instant reported as "expired at" would be false.
   */
  sentExpiry(): number | null {
    const exp = this.sent.expiresAt;
    return exp == null || exp > this.now + this.skewMs ? null : exp;
  }

  /** True when the credential sent is known to be past its `exp` (within the allowed clock skew). */
  sentTokenExpired(): boolean {
    const exp = this.sent.expiresAt;
    return exp != null && !(this.now + this.skewMs < exp);
  }

  /** True when the credential sent is known to be still valid by its `exp`. */
  sentTokenValid(): boolean {
    const exp = this.sent.expiresAt;
    return exp != null && this.now + this.skewMs < exp;
  }

  /**
   * The human-readable messages of the body, most specific first: the usual message fields of a JSON object
   * (`error_description`, `message`, `msg`, `detail`, a string `error`, Okta's `errorSummary`, `error.message`,
   * and Kong's per-claim `exp`/`nbf`), or a short plain-text body as a whole. Markup (HTML, XML) is left to
   * the formats that know it.
   */
  bodyMessages(): readonly string[] {
    if (this.messages === null) {
      const out: string[] = [];
      const j = this.json();
      if (j !== null) {
        for (const field of MESSAGE_FIELDS) addText(out, j[field]);
        if (isObject(j.error)) addText(out, j.error.message);
      } else {
        const t = this.body.trim();
        if (t.length > 0 && t.length <= MAX_TEXT_BODY && !t.startsWith("<") && !t.startsWith("{") && !t.startsWith("[")) {
          out.push(t);
        }
      }
      this.messages = out;
    }
    return this.messages;
  }

  /**
   * An expiry instant the JSON body states as data: jsonwebtoken's `TokenExpiredError.expiredAt`, as
   * express-style error handlers serialize it (top level, `inner` or `data`). Epoch ms, or null.
   */
  bodyExpiredAt(): number | null {
    const j = this.json();
    if (j === null) return null;
    for (const node of [j, j.inner, j.data]) {
      const v = firstNonBlank(text(node, "expiredAt"), text(node, "expired_at"));
      if (v !== null) return parseOffsetDateTime(v);
    }
    return null;
  }

  /** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, in milliseconds. */
  retryAfterMs(): number | null {
    let v = this.header("Retry-After");
    if (v == null) return null;
    v = v.trim();
    if (/^[+-]?\d+$/.test(v)) {
      const seconds = Number(v);
      return seconds < 0 ? null : Math.min(seconds, 86_400) * 1000;
    }
    if (!/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|[+-]\d{4})$/.test(v)) return null;
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    return Math.max(0, at - this.now);
  }
}

/** A field of a JSON object as text when it is a value (string, number, boolean), else null. */
export function text(node: unknown, field: string): string | null {
  if (!isObject(node)) return null;
  const v = node[field];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

export function contains(haystack: string | null | undefined, needle: string): boolean {
  return haystack != null && haystack.toLowerCase().includes(needle);
}

export function firstNonBlank(...values: (string | null | undefined)[]): string | null {
  for (const v of values) if (v != null && v.trim() !== "") return v;
  return null;
}

export function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
}

function addText(out: string[], v: unknown): void {
  if (typeof v === "string" && v.trim() !== "") out.push(v);
}
