/**
 * The error catalog (DESIGN §3.1) and the typed errors this package throws. Every failure a caller sees is a
 * MayflyError with a catalog code; messages never carry a token or a secret.
 */
export type MayflyCode =
  | "CREDENTIALS_EXPIRED"
  | "CREDENTIALS_REVOKED"
  | "CREDENTIALS_INVALID"
  | "CREDENTIALS_MISSING"
  | "PERMISSION_DENIED"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "USAGE"
  | "PRECONDITION"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PARTIAL_FAILURE"
  | "INTERNAL";

export interface CatalogEntry {
  exitCode: number;
  httpStatus: number;
  retryable: boolean;
  bearerError?: "invalid_token" | "insufficient_scope";
}

/** The catalog as data: exit code, HTTP status and retryability of every code. */
export const CATALOG: Readonly<Record<MayflyCode, CatalogEntry>> = Object.freeze({
  CREDENTIALS_EXPIRED: { exitCode: 10, httpStatus: 401, retryable: true, bearerError: "invalid_token" },
  CREDENTIALS_REVOKED: { exitCode: 11, httpStatus: 401, retryable: false, bearerError: "invalid_token" },
  CREDENTIALS_INVALID: { exitCode: 11, httpStatus: 401, retryable: false, bearerError: "invalid_token" },
  CREDENTIALS_MISSING: { exitCode: 4, httpStatus: 401, retryable: false },
  PERMISSION_DENIED: { exitCode: 8, httpStatus: 403, retryable: false, bearerError: "insufficient_scope" },
  RATE_LIMITED: { exitCode: 9, httpStatus: 429, retryable: true },
  UNAVAILABLE: { exitCode: 12, httpStatus: 503, retryable: true },
  TIMEOUT: { exitCode: 7, httpStatus: 504, retryable: true },
  USAGE: { exitCode: 2, httpStatus: 400, retryable: false },
  PRECONDITION: { exitCode: 4, httpStatus: 412, retryable: false },
  NOT_FOUND: { exitCode: 5, httpStatus: 404, retryable: false },
  CONFLICT: { exitCode: 6, httpStatus: 409, retryable: false },
  PARTIAL_FAILURE: { exitCode: 3, httpStatus: 500, retryable: false },
  INTERNAL: { exitCode: 1, httpStatus: 500, retryable: false },
});

export const REAUTH_ENV_VAR = "MAYFLY_TOKEN";
const AUTH_CODES: ReadonlySet<MayflyCode> = new Set<MayflyCode>([
  "CREDENTIALS_EXPIRED",
  "CREDENTIALS_REVOKED",
  "CREDENTIALS_INVALID",
  "CREDENTIALS_MISSING",
  "PERMISSION_DENIED",
]);

export function isMayflyCode(s: unknown): s is MayflyCode {
  return typeof s === "string" && Object.prototype.hasOwnProperty.call(CATALOG, s);
}

/** The fields of the envelope's `error` object (DESIGN §3.2), camel-cased. */
export interface MayflyErrorFields {
  code: MayflyCode;
  message: string;
  retryable?: boolean;
  expiredAt?: string | null;
  reauthCommand?: string | null;
  requiredScope?: string | null;
  missingScopes?: string[];
  retryAfterMs?: number | null;
  details?: Record<string, unknown>;
}

/** A failure with a catalog code. `toJSON()` is the envelope's `error` object. */
export class MayflyError extends Error {
  readonly code: MayflyCode;
  readonly retryable: boolean;
  readonly expiredAt: string | null;
  readonly reauthCommand: string | null;
  readonly requiredScope: string | null;
  readonly missingScopes: string[];
  readonly retryAfterMs: number | null;
  readonly details: Record<string, unknown>;

  constructor(fields: MayflyErrorFields, options?: { cause?: unknown }) {
    super(fields.message, options);
    this.name = "MayflyError";
    this.code = fields.code;
    this.retryable = fields.retryable ?? CATALOG[fields.code].retryable;
    this.expiredAt = fields.expiredAt ?? null;
    this.reauthCommand = fields.reauthCommand ?? null;
    this.requiredScope = fields.requiredScope ?? null;
    this.missingScopes = fields.missingScopes ?? [];
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.details = fields.details ?? {};
  }

  get exitCode(): number {
    return CATALOG[this.code].exitCode;
  }

  get httpStatus(): number {
    return CATALOG[this.code].httpStatus;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.code === "CREDENTIALS_EXPIRED") {
      out.expired = true;
      out.expired_at = this.expiredAt;
    }
    if (AUTH_CODES.has(this.code)) {
      out.reauth_command = this.reauthCommand;
      out.reauth_env_var = REAUTH_ENV_VAR;
    }
    if (this.requiredScope) out.required_scope = this.requiredScope;
    if (this.missingScopes.length > 0) out.missing_scopes = this.missingScopes;
    if (this.retryAfterMs != null) out.retry_after_ms = this.retryAfterMs;
    return { ...this.details, ...out };
  }
}
