/**
 * Makes a server's error text safe to keep in an error or a log: shortened, single-line, and with anything
 * shaped like a credential replaced (JWTs, Mayfly/GitHub/Vault/AWS token formats, Bearer values, long base64
 * runs). Port of the Java SDK's Redaction.
 */
const MAX_LENGTH = 300;
const SECRETS: RegExp[] = [
  /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /mfy_[a-z]{2}_[0-9A-Za-z]{8,}/g,
  /(?:gh[pousr]_|github_pat_)[0-9A-Za-z_]{16,}/g,
  /hv[sbr]\.[0-9A-Za-z_-]{16,}/g,
  /(?:AKIA|ASIA)[0-9A-Z]{16}/g,
  /(bearer|dpop|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /[A-Za-z0-9+/_-]{40,}={0,2}/g,
];

export function redactMessage(text: string | null | undefined): string | null {
  if (text == null) return null;
  let s = text.replace(/[\r\n\t]+/g, " ").trim();
  if (s.length > 4 * MAX_LENGTH) s = s.substring(0, 4 * MAX_LENGTH);
  for (const p of SECRETS) {
    s = s.replace(p, (_m: string, g1?: unknown) => (typeof g1 === "string" ? `${g1} [redacted]` : "[redacted]"));
  }
  if (s.length > MAX_LENGTH) s = s.substring(0, MAX_LENGTH) + "...";
  return s.length === 0 ? null : s;
}
