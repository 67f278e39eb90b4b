/**
 * The date-time forms servers write in error answers, read as the Java SDK's java.time reads them: ISO 8601
 * with an offset strictly (a day the month does not have is no date), the patterned forms "smartly" (day 31
 * of a 30-day month is its last day), RFC 1123 with its day of the week checked against the date. Each
 * answers epoch milliseconds, or null when the text is no such time; never an exception.
 */
const ISO_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)$/i;
const RFC_1123 = /^(?:([A-Za-z]{3}), )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|[+-]\d{4})$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Java's OffsetDateTime.parse: `2026-11-22T13:55:00Z`, `...T13:55:00.5+00:00`, `...T13:55Z`. */
export function parseOffsetDateTime(text: string | null | undefined): number | null {
  const m = text == null ? null : ISO_OFFSET.exec(text);
  if (!m) return null;
  const local = utcTime(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] === undefined ? 0 : +m[6], "strict");
  const offset = offsetSeconds(m[8]);
  if (local === null || offset === null) return null;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number("0." + m[7]) * 1000);
  return local + fraction - offset * 1000;
}

/** Java's RFC_1123_DATE_TIME: `Sun, 22 Nov 2026 13:55:00 GMT` (names in any case, weekday optional but checked). */
export function parseRfc1123(text: string | null | undefined): number | null {
  const m = text == null ? null : RFC_1123.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[3].toLowerCase()) + 1;
  if (month === 0) return null;
  const local = utcTime(+m[4], month, +m[2], +m[5], +m[6], m[7] === undefined ? 0 : +m[7], "smart");
  if (local === null) return null;
  if (m[1] !== undefined && DAYS.indexOf(m[1].toLowerCase()) !== new Date(local).getUTCDay()) return null;
  if (m[8] === "GMT") return local;
  const sign = m[8][0] === "-" ? -1 : 1;
  const hours = +m[8].substring(1, 3);
  const minutes = +m[8].substring(3, 5);
  if (hours > 18 || minutes > 59) return null;
  return local - sign * (hours * 3600 + minutes * 60) * 1000;
}

/**
 * Epoch milliseconds of a UTC wall-clock time, or null when a field is out of range. "strict" refuses a day
 * past the month's end, as ISO parsing does; "smart" moves it to the month's last day, as java.time's
 * patterned formatters do (both refuse day 0 or 32, month 13, hour 24, minute or second 60).
 */
export function utcTime(year: number, month: number, day: number, hour: number, minute: number, second: number,
  style: "strict" | "smart"): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const last = month === 2 ? (leap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day > last) {
    if (style === "strict") return null;
    day = last;
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years below 100 as 19xx
  d.setUTCHours(hour, minute, second, 0);
  const ms = d.getTime();
  return Number.isNaN(ms) ? null : ms;
}

function leap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function offsetSeconds(offset: string): number | null {
  if (offset === "Z" || offset === "z") return 0;
  const sign = offset[0] === "-" ? -1 : 1;
  const [h, m, s] = offset.substring(1).split(":").map(Number);
  if (h > 18 || m > 59 || (s ?? 0) > 59) return null;
  const total = h * 3600 + m * 60 + (s ?? 0);
  return total > 18 * 3600 ? null : sign * total;
}
