import { MayflyError } from "../errors.js";
import { DETAIL_ERROR, DETAIL_NONCE, DETAIL_SCHEME } from "./dpopFailure.js";

/** The proof algorithms a default verifier accepts, as advertised in a DPoP challenge's `algs`. */
export const DEFAULT_DPOP_ALGS = ["EdDSA", "ES256", "RS256", "PS256"];

/**
 * The HTTP answer for a rejected request, as the Java AuthFailureResponse renders it: the catalog status, the
 * RFC 6750 §3 challenge for 401/403 (plus RFC 9728 `resource_metadata` when given; RFC 9449 §7.1's DPoP
 * challenge, and `DPoP-Nonce` when one is demanded, for a refused DPoP presentation), `Cache-Control: no-store`,
 * and the DESIGN §3.2 envelope as the body. Nothing from the presented token appears.
 */
export interface FailureResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ChallengeOptions {
  realm?: string;
  /** RFC 9728 `resource_metadata`, for an MCP server. */
  resourceMetadata?: string;
  /** The DPoP proof algorithms accepted, for a DPoP challenge's `algs` (default EdDSA ES256 RS256 PS256). */
  dpopAlgs?: string[];
}

/**
 * The RFC 9449 §7.1 challenge for a refused DPoP presentation (or a DPoP-bound token presented as Bearer), as
 * the Java DpopChallenge renders it: `realm`, the `error` (`invalid_dpop_proof`, `use_dpop_nonce`, or RFC
 * 6750's `invalid_token` / `insufficient_scope` when the token itself was refused) with a short fixed
 * `error_description` (a proof's refusal: its fixed message), `scope`, and the `algs` accepted for proofs.
 */
export function dpopChallenge(error: MayflyError, options: ChallengeOptions = {}): string {
  const attrs: string[] = [`realm="${quote(options.realm ?? "mayfly")}"`];
  if (options.resourceMetadata) attrs.push(`resource_metadata="${quote(options.resourceMetadata)}"`);
  let dpopError = error.details[DETAIL_ERROR] as string | undefined;
  let description: string | null = error.message;
  if (dpopError === undefined) {
    description = tokenDescription(error);
    dpopError = description === null ? undefined : error.code === "PERMISSION_DENIED" ? "insufficient_scope" : "invalid_token";
  }
  if (dpopError !== undefined && description !== null) {
    attrs.push(`error="${quote(dpopError)}"`, `error_description="${quote(description)}"`);
  }
  if (error.requiredScope) attrs.push(`scope="${quote(error.requiredScope)}"`);
  attrs.push(`algs="${(options.dpopAlgs ?? DEFAULT_DPOP_ALGS).join(" ")}"`);
  return "DPoP " + attrs.join(", ");
}

/** Whether `error` was refused under the DPoP scheme and so takes the DPoP challenge. */
export function refusedAsDpop(error: MayflyError): boolean {
  return error.details[DETAIL_SCHEME] === "DPoP";
}

function tokenDescription(error: MayflyError): string | null {
  switch (error.code) {
    case "CREDENTIALS_MISSING":
      return null;
    case "CREDENTIALS_EXPIRED":
      return "token expired";
    case "CREDENTIALS_REVOKED":
      return "token revoked";
    case "PERMISSION_DENIED":
      return "insufficient scope";
    default:
      return "token invalid";
  }
}

export function bearerChallenge(error: MayflyError, options: { realm?: string; resourceMetadata?: string } = {}): string | null {
  let description: string | null | undefined;
  switch (error.code) {
    case "CREDENTIALS_MISSING":
      description = null;
      break;
    case "CREDENTIALS_EXPIRED":
      description = "token expired";
      break;
    case "CREDENTIALS_REVOKED":
      description = "token revoked";
      break;
    case "CREDENTIALS_INVALID":
      description = "token invalid";
      break;
    case "PERMISSION_DENIED":
      description = "insufficient scope";
      break;
    default:
      return null;
  }
  const attrs: string[] = [`realm="${quote(options.realm ?? "mayfly")}"`];
  if (options.resourceMetadata) attrs.push(`resource_metadata="${quote(options.resourceMetadata)}"`);
  if (description !== null) {
    attrs.push(`error="${error.code === "PERMISSION_DENIED" ? "insufficient_scope" : "invalid_token"}"`);
    attrs.push(`error_description="${description}"`);
  }
  if (error.requiredScope) attrs.push(`scope="${quote(error.requiredScope)}"`);
  return "Bearer " + attrs.join(", ");
}

export function failureResponse(error: MayflyError, options: ChallengeOptions & { requestId?: string } = {}): FailureResponse {
  const headers: Record<string, string> = {};
  const status = error.httpStatus;
  if ((status === 401 || status === 403) && refusedAsDpop(error)) {
    headers["WWW-Authenticate"] = dpopChallenge(error, options);
    const nonce = error.details[DETAIL_NONCE];
    if (typeof nonce === "string") headers["DPoP-Nonce"] = quote(nonce);
  } else if (status === 401 || status === 403) {
    const c = bearerChallenge(error, options);
    if (c) headers["WWW-Authenticate"] = c;
  }
  if (error.retryAfterMs != null) headers["Retry-After"] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  headers["Content-Type"] = "application/json";
  headers["Cache-Control"] = "no-store";
  const body = JSON.stringify({
    ok: false,
    data: null,
    error: error.toJSON(),
    warnings: [],
    meta: { duration_ms: 0, request_id: options.requestId ?? null, schema_version: "1" },
  });
  return { status, headers, body };
}

/** Inside of a quoted-string: `"` and `\` escaped, anything outside printable ASCII dropped. */
function quote(v: string): string {
  let out = "";
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    if (ch.length > 1 || c < 0x20 || c > 0x7e) continue;
    out += ch === '"' || ch === "\\" ? "\\" + ch : ch;
  }
  return out;
}
