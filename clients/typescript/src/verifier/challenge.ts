import { MayflyError } from "../errors.js";

/**
 * The HTTP answer for a rejected request, as the Java AuthFailureResponse renders it: the catalog status, the
 * RFC 6750 §3 challenge for 401/403 (plus RFC 9728 `resource_metadata` when given), `Cache-Control: no-store`,
 * and the DESIGN §3.2 envelope as the body. Nothing from the presented token appears.
 */
export interface FailureResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
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

export function failureResponse(error: MayflyError, options: { realm?: string; resourceMetadata?: string; requestId?: string } = {}): FailureResponse {
  const headers: Record<string, string> = {};
  const status = error.httpStatus;
  if (status === 401 || status === 403) {
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
