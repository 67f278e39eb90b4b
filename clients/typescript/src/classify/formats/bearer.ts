import { Draft, Format } from "../authFailure.js";
import { ResponseView } from "../responseView.js";
import { wordingVerdict } from "../wording.js";
import { messageFromBody } from "./message.js";
import { byExpiryAlone } from "./recognizer.js";

/**
 * The `WWW-Authenticate` challenge of RFC 6750 §3 (scheme Bearer) and RFC 9449 §7.1 (scheme DPoP), with
 * Microsoft Entra's CAE extension (`insufficient_claims`). `invalid_token` folds expired, revoked and
 * malformed together: the `error_description`'s words decide (wording.ts), else the body's (Envoy and ESPv2
 * put "Jwt is expired" there), else the token's `exp`. A challenge without `error` on a 401 means no
 * credential was presented (§3.1) when none was sent; when one was, the body's words decide ("Jwt is
 * missing": it was not where the server looks), else the token's `exp`.
 */
export function bearerFormat(r: ResponseView): Draft | null {
  let challenged = false;
  for (const c of r.challenges()) {
    if (c.scheme !== "bearer" && c.scheme !== "dpop") continue;
    challenged = true;
    const error = c.params.error;
    if (error != null) {
      const d = byError(r, error, c.params.error_description ?? null, c.params.scope ?? null, c.params.claims ?? null,
        c.scheme === "dpop" ? "DPOP" : "BEARER");
      if (d) return d;
    }
  }
  if (challenged && r.status === 401) {
    if (r.sent.state !== "token") return new Draft("MISSING", "BEARER");
    return messageFromBody(r, "BEARER", null) ?? byExpiryAlone(r, "BEARER", null, null);
  }
  return null;
}

/** The RFC 6750 / RFC 9449 / CAE error codes, wherever they appear (header or JSON body). */
export function byError(r: ResponseView, error: string, description: string | null, scope: string | null,
  claims: string | null, format: Format): Draft | null {
  switch (error) {
    case "invalid_token":
      return wordingVerdict(description, format, error, description, r)
        ?? messageFromBody(r, format, error)
        ?? byExpiryAlone(r, format, error, description);
    case "insufficient_scope":
      return new Draft("DENIED", format).withCode(error).withMessage(description).withRequiredScope(scope)
        .withMissingScopes(scope == null || scope.trim() === "" ? null : scope.trim().split(/ +/));
    case "insufficient_claims":
      return new Draft("REVOKED", "AZURE").withCode(error).withMessage(description).withRecovery("LOG_IN")
        .withClaimsChallenge(claims);
    case "use_dpop_nonce":
      return new Draft("INVALID", "DPOP").withCode(error).withMessage(description).withRecovery("RETRY_WITH_NONCE")
        .withRetryable(true).withDpopNonce(r.header("DPoP-Nonce"));
    case "invalid_dpop_proof":
      return new Draft("INVALID", "DPOP").withCode(error).withMessage(description);
    case "invalid_request":
      return new Draft("UNKNOWN", format).withCode(error).withMessage(description);
    default:
      return null;
  }
}
