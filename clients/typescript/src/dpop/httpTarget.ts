/**
 * RFC 9449 §4.2: a proof's `htu` is the request's URI without query and fragment. What a client puts in the
 * proof; the verifier compares both sides in the normalised form below.
 */
export function htu(url: string | URL): string {
  const u = new URL(String(url));
  u.search = "";
  u.hash = "";
  return u.href;
}

/**
 * The form in which a proof's `htu` and the request's own URI are compared (RFC 9449 §4.3 step 9), as the
 * Java verifier's HttpTargetUri: without query and fragment, after RFC 3986 §6.2.2 and §6.2.3 normalisation
 * (scheme and host lower-cased, the scheme's default port dropped, an empty path made `/`, dot segments
 * removed, percent-encodings upper-cased). Null when it is not an absolute http(s) URI with a host and no
 * user info.
 */
export function normaliseTarget(uri: string | null | undefined): string | null {
  if (typeof uri !== "string") return null;
  const s = uri.trim();
  // WHATWG URL would accept "http:example" or backslashes; RFC 3986 wants "scheme://authority".
  if (!/^https?:\/\/[^/?#\\]/i.test(s) || /[\s\\]/.test(s)) return null;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.hostname === "" || u.username !== "" || u.password !== "") {
    return null;
  }
  const path = (u.pathname === "" ? "/" : u.pathname).replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
  return `${u.protocol}//${u.host}${path}`;
}
