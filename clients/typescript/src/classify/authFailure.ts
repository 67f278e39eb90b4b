import { isoSeconds } from "../clock.js";
import { CATALOG, MayflyCode, MayflyError } from "../errors.js";
import { redactMessage } from "./redaction.js";

/** The eight outcomes of classification, one per way a call with a credential can fail. */
export type Kind = "EXPIRED" | "REVOKED" | "INVALID" | "MISSING" | "DENIED" | "RATE_LIMITED" | "UNAVAILABLE" | "UNKNOWN";

/** What to do about it. */
export type Recovery =
  | "REFRESH"
  | "LOG_IN"
  | "RETRY_WITH_NONCE"
  | "RETRY_LATER"
  | "FIX_CLOCK"
  | "REQUEST_PERMISSION"
  | "ATTACH_CREDENTIAL"
  | "REPLACE_CREDENTIAL"
  | "STOP";

/** Which response format decided the classification. */
export type Format =
  | "MAYFLY"
  | "OAUTH"
  | "BEARER"
  | "DPOP"
  | "AWS"
  | "AZURE"
  | "GOOGLE"
  | "GITHUB"
  | "KUBERNETES"
  | "VAULT"
  /** The body's free-text message, read for wording ("Jwt is expired", "Missing Authorization Header"). */
  | "MESSAGE"
  | "TOKEN_EXPIRY"
  | "HTTP_STATUS";

const KINDS: Record<Kind, { code: MayflyCode | null; recovery: Recovery; retryable: boolean }> = {
  EXPIRED: { code: "CREDENTIALS_EXPIRED", recovery: "REFRESH", retryable: true },
  REVOKED: { code: "CREDENTIALS_REVOKED", recovery: "LOG_IN", retryable: false },
  INVALID: { code: "CREDENTIALS_INVALID", recovery: "REPLACE_CREDENTIAL", retryable: false },
  MISSING: { code: "CREDENTIALS_MISSING", recovery: "ATTACH_CREDENTIAL", retryable: false },
  DENIED: { code: "PERMISSION_DENIED", recovery: "REQUEST_PERMISSION", retryable: false },
  RATE_LIMITED: { code: "RATE_LIMITED", recovery: "RETRY_LATER", retryable: true },
  UNAVAILABLE: { code: "UNAVAILABLE", recovery: "RETRY_LATER", retryable: true },
  UNKNOWN: { code: null, recovery: "STOP", retryable: false },
};

/** The catalog code of a kind; null for UNKNOWN, whose code depends on the status. */
export function kindCode(kind: Kind): MayflyCode | null {
  return KINDS[kind].code;
}

/**
 * What a failed HTTP response means for the credential that was sent. `code` is the catalog code a client
 * reports (null for UNKNOWN); `sourceCode` is the server's own code as it wrote it. `message` is the server's
 * description shortened and with anything token-shaped removed, so it is safe to log. Immutable.
 */
export interface AuthFailure {
  readonly kind: Kind;
  readonly code: MayflyCode | null;
  readonly recovery: Recovery;
  readonly retryable: boolean;
  readonly status: number;
  readonly format: Format;
  readonly sourceCode: string | null;
  readonly message: string | null;
  /** ISO-8601 UTC, whole seconds: from the response when it says, else from the token's own `exp`. */
  readonly expiredAt: string | null;
  readonly requiredScope: string | null;
  readonly missingScopes: readonly string[];
  readonly retryAfterMs: number | null;
  /** Mayfly's `reauth_command`, when the server is a Mayfly broker and named one. */
  readonly reauthCommand: string | null;
  readonly dpopNonce: string | null;
  readonly claimsChallenge: string | null;
}

/** A classification under construction, as the format readers fill it in. Internal. */
export class Draft {
  recovery: Recovery | null = null;
  retryable: boolean | null = null;
  status = 0;
  code: string | null = null;
  message: string | null = null;
  expiredAt: number | null = null;
  requiredScope: string | null = null;
  missingScopes: string[] = [];
  retryAfterMs: number | null = null;
  reauthCommand: string | null = null;
  dpopNonce: string | null = null;
  claimsChallenge: string | null = null;

  constructor(public kind: Kind, public format: Format) {}

  withCode(code: string | null): this {
    this.code = code;
    return this;
  }
  withMessage(message: string | null | undefined): this {
    this.message = redactMessage(message);
    return this;
  }
  withRecovery(r: Recovery): this {
    this.recovery = r;
    return this;
  }
  withRetryable(r: boolean): this {
    this.retryable = r;
    return this;
  }
  withKind(k: Kind): this {
    this.kind = k;
    return this;
  }
  withExpiredAt(ms: number | null | undefined): this {
    this.expiredAt = ms ?? null;
    return this;
  }
  withRequiredScope(s: string | null | undefined): this {
    this.requiredScope = s == null || s.trim() === "" ? null : s;
    return this;
  }
  withMissingScopes(s: string[] | null | undefined): this {
    this.missingScopes = s ?? [];
    return this;
  }
  withRetryAfterMs(ms: number | null | undefined): this {
    this.retryAfterMs = ms == null || ms < 0 ? null : ms;
    return this;
  }
  withReauthCommand(c: string | null | undefined): this {
    this.reauthCommand = c ?? null;
    return this;
  }
  withDpopNonce(n: string | null | undefined): this {
    this.dpopNonce = n ?? null;
    return this;
  }
  withClaimsChallenge(c: string | null | undefined): this {
    this.claimsChallenge = c ?? null;
    return this;
  }

  build(): AuthFailure {
    const k = KINDS[this.kind];
    return Object.freeze({
      kind: this.kind,
      code: k.code,
      recovery: this.recovery ?? k.recovery,
      retryable: this.retryable ?? k.retryable,
      status: this.status,
      format: this.format,
      sourceCode: this.code,
      message: this.message,
      expiredAt: this.expiredAt == null ? null : isoSeconds(this.expiredAt),
      requiredScope: this.requiredScope,
      missingScopes: Object.freeze([...this.missingScopes]),
      retryAfterMs: this.retryAfterMs,
      reauthCommand: this.reauthCommand,
      dpopNonce: this.dpopNonce,
      claimsChallenge: this.claimsChallenge,
    });
  }
}

function codeForStatus(status: number): MayflyCode {
  switch (status) {
    case 400:
      return "USAGE";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "CONFLICT";
    case 412:
      return "PRECONDITION";
    case 504:
      return "TIMEOUT";
    default:
      return "INTERNAL";
  }
}

function describe(f: AuthFailure): string {
  let what: string;
  switch (f.kind) {
    case "EXPIRED":
      what = "The credential expired" + (f.expiredAt ? ` at ${f.expiredAt}` : "");
      break;
    case "REVOKED":
      what = "The credential was revoked";
      break;
    case "INVALID":
      what = "The credential was rejected as invalid";
      break;
    case "MISSING":
      what = "No credential reached the server";
      break;
    case "DENIED":
      what = "Permission denied" + (f.requiredScope ? `; required: ${f.requiredScope}` : "");
      break;
    case "RATE_LIMITED":
      what = "Rate limited";
      break;
    case "UNAVAILABLE":
      what = "The server is unavailable";
      break;
    default:
      what = `The request failed with HTTP ${f.status}`;
  }
  return `${what} (${f.format}${f.sourceCode ? " " + f.sourceCode : ""}${f.message ? ": " + f.message : ""}).`;
}

/** The catalog error for a classification, hence an exit code and an envelope. */
export function toMayflyError(f: AuthFailure): MayflyError {
  const code = f.code ?? codeForStatus(f.status);
  return new MayflyError({
    code,
    message: describe(f),
    retryable: f.kind === "UNKNOWN" ? false : CATALOG[code].retryable && f.retryable,
    expiredAt: code === "CREDENTIALS_EXPIRED" ? f.expiredAt : null,
    reauthCommand: f.reauthCommand,
    requiredScope: f.requiredScope,
    missingScopes: [...f.missingScopes],
    retryAfterMs: f.retryAfterMs,
    details: { recovery: f.recovery, source_format: f.format, ...(f.sourceCode ? { source_code: f.sourceCode } : {}) },
  });
}

/** A call failed for a credential reason: revoked, invalid, missing, or expired again after one refresh. */
export class AuthFailureError extends MayflyError {
  constructor(readonly failure: AuthFailure) {
    const e = toMayflyError(failure);
    super({ ...e, message: e.message, missingScopes: [...e.missingScopes], details: e.details });
    this.name = "AuthFailureError";
  }
}

/** A valid credential without the scope or permission: permanent, escalate, do not retry. */
export class PermissionDeniedError extends AuthFailureError {
  constructor(failure: AuthFailure) {
    super(failure);
    this.name = "PermissionDeniedError";
  }
}
