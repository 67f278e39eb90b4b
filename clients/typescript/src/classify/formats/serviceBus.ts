import { Draft } from "../authFailure.js";
import { ResponseView } from "../responseView.js";
import { statedExpiry } from "../statedExpiry.js";
import { wordingVerdict } from "../wording.js";
import { byExpiryAlone } from "./recognizer.js";

const ERROR = /<Error>\s*<Code>\s*(\d{3})\s*<\/Code>\s*<Detail>([^<]{0,2000})<\/Detail>/;
const LEADING_CODE = /^\s*([A-Z][A-Za-z]+):/;
const CLAIMS_REQUIRED = /claim\(?s?\)? (are |is )?required/i;

/**
 * Azure Service Bus and Event Hubs REST: `<Error><Code>401</Code><Detail>ExpiredToken: The token is expired.
 * Expiration time: '2018-11-04 05:05:25Z'. TrackingId:..</Detail></Error>`. The numeric code is the status;
 * the detail's leading word is the real code. A SAS lacking a right is answered 401 too ("Unauthorized access.
 * 'Send' claim(s) are required to perform this operation"): that is a denial, not a credential problem.
 */
export function serviceBusFormat(r: ResponseView): Draft | null {
  const m = ERROR.exec(r.body);
  if (!m) return null;
  const detail = m[2].trim();
  const code = LEADING_CODE.exec(detail)?.[1] ?? null;
  if (CLAIMS_REQUIRED.test(detail)) return new Draft("DENIED", "AZURE").withCode(code).withMessage(detail);
  if (code === "ExpiredToken") {
    return new Draft("EXPIRED", "AZURE").withCode(code).withMessage(detail).withExpiredAt(statedExpiry(detail) ?? r.sentExpiry());
  }
  const said = wordingVerdict(detail, "AZURE", code, detail, r);
  if (said) return said;
  switch (r.status) {
    case 401:
      return byExpiryAlone(r, "AZURE", code, detail);
    case 403:
      return new Draft("DENIED", "AZURE").withCode(code).withMessage(detail);
    default:
      return null;
  }
}
