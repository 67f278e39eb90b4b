import { Draft, Format } from "../authFailure.js";
import { ResponseView } from "../responseView.js";
import { wordingVerdict } from "../wording.js";

/**
 * The body's own words, for servers with no structured code: gateways and frameworks that answer
 * `{"message":"Jwt is expired"}`, `{"msg":"Token has expired"}`, `{"detail":"Signature has expired."}`, Kong's
 * `{"exp":"token expired"}`, Auth0's `{"statusCode":401,"error":"Unauthorized","message":"Expired token
 * received ..."}`, or plain text. Asked after every structured format and before the status alone, and only
 * for 401 and 403: a 500 that says "jwt expired" is a server bug, not an answer, and a 400's words are about
 * the request too often ("parameter 'key' is missing") to be read as the credential's.
 */
export function messageFormat(r: ResponseView): Draft | null {
  if (r.status !== 401 && r.status !== 403) return null;
  return messageFromBody(r, "MESSAGE", null);
}

/**
 * The verdict of the first body message that names a cause, in `format`; null when none does. An `expiredAt`
 * the body states as data beats both the words' time and the token's `exp`.
 */
export function messageFromBody(r: ResponseView, format: Format, code: string | null): Draft | null {
  for (const message of r.bodyMessages()) {
    const d = wordingVerdict(message, format, code, message, r);
    if (d !== null) {
      const stated = d.kind === "EXPIRED" ? r.bodyExpiredAt() : null;
      return stated !== null ? d.withExpiredAt(stated) : d;
    }
  }
  return null;
}
