import { Draft } from "../authFailure.js";
import { contains, ResponseView } from "../responseView.js";
import { byExpiry } from "./recognizer.js";

/**
 * HashiCorp Vault (`{"errors":["..."]}`). `invalid token` is a credential problem the token's `exp` settles
 * (re-authenticate either way); a plain `permission denied` is a denial, unless the token is known to be past
 * its `exp`, which is what older Vaults answer for expiry too.
 */
export function vaultFormat(r: ResponseView): Draft | null {
  const errors = r.json()?.errors;
  if (!Array.isArray(errors) || errors.length === 0 || typeof errors[0] !== "string") return null;
  let all = "";
  for (const e of errors) all += (typeof e === "string" ? e : JSON.stringify(e)) + "; ";
  if (contains(all, "invalid token")) {
    const d = byExpiry(r, "VAULT", "invalid token", all);
    if (d.kind === "EXPIRED") return d.withRecovery("LOG_IN");
    return d.withKind("INVALID").withRecovery("LOG_IN");
  }
  if (contains(all, "permission denied")) {
    if (r.sentTokenExpired()) {
      return new Draft("EXPIRED", "TOKEN_EXPIRY").withCode("permission denied").withMessage(all).withRecovery("LOG_IN")
        .withExpiredAt(r.sentExpiry());
    }
    return new Draft("DENIED", "VAULT").withCode("permission denied").withMessage(all);
  }
  if (contains(all, "vault is sealed") || contains(all, "standby")) {
    return new Draft("UNAVAILABLE", "VAULT").withCode("sealed").withMessage(all);
  }
  return null;
}
