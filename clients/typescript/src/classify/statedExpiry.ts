import { parseOffsetDateTime, utcTime } from "./instants.js";

const ISO = /expired at:?\s*'?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))/i;
const INVARIANT = /expired at:?\s*'?(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})'?/i;
const SERVICE_BUS = /expiration time:\s*'(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})Z?'/i;
const ARM = /expiry UTC time '([^']{1,40})'/;
const ARM_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;
const EPOCH = /request has expired:\s*(\d{1,12})\b/i;

/**
 * The expiry instant a server states in its own words (epoch ms), in the forms services write it, or null:
 *
 * - ISO 8601 after "expired at" (Spring Security's "Jwt expired at 2026-11-22T13:55:00Z", GCS's "Request
 *   signature expired at: 2020-07-29T18:17:19+00:00");
 * - .NET's invariant culture after "expired at" (ASP.NET Core's "The token expired at '11/22/2026 13:55:00'");
 * - Service Bus's "Expiration time: '2018-11-04 05:05:25Z'";
 * - ARM's "expiry UTC time '3/19/2023 8:55:46 AM'";
 * - GCS V2 signed URLs' "Request has expired: 1600000000" (the URL's `Expires`, epoch seconds).
 *
 * Times without a zone are UTC, as every one of these services writes them. The first form found decides:
 * when it is no valid time, the answer is null. Port of the Java SDK's StatedExpiry.
 */
export function statedExpiry(text: string | null | undefined): number | null {
  if (text == null || text.length === 0) return null;
  let m = ISO.exec(text);
  if (m) return parseOffsetDateTime(m[1]);
  m = INVARIANT.exec(text);
  if (m) return utcTime(+m[3], +m[1], +m[2], +m[4], +m[5], +m[6], "smart");
  m = SERVICE_BUS.exec(text);
  if (m) return utcTime(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], "smart");
  m = ARM.exec(text);
  if (m) return armTime(m[1]);
  m = EPOCH.exec(text);
  if (m) return Number(m[1]) * 1000;
  return null;
}

/** ARM's `M/d/yyyy h:mm:ss a` (US English, 12-hour clock). */
function armTime(t: string): number | null {
  const m = ARM_TIME.exec(t);
  if (!m) return null;
  let hour = Number(m[4]);
  if (hour < 1 || hour > 12) return null;
  if (m[7] === "AM" && hour === 12) hour = 0;
  else if (m[7] === "PM" && hour !== 12) hour += 12;
  return utcTime(+m[3], +m[1], +m[2], hour, +m[5], +m[6], "smart");
}
