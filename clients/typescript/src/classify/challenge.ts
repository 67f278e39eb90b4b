/**
 * One authentication challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1, syntax of §11.3): a scheme
 * and its auth-params. A value may hold several challenges; `parseChallenges` reads them all. Scheme and
 * parameter names are lower-cased. Port of the Java SDK's Challenge parser.
 *
 * Lenient where real servers are not RFC-conformant: auth-params separated by spaces instead of commas (AWS API
 * Gateway's JWT authorizer: `Bearer scope="" error="invalid_token" error_description="..."`; Kong; Azure
 * Storage's `Bearer authorization_uri=https://... resource_id=https://...`), and unquoted values holding
 * characters a token may not (`:` in a URL): such a value runs to the next space or comma.
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenges(values: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const v of values) {
    if (typeof v === "string" && v.length <= 16_384) new Parser(v).challenges(out);
  }
  return out;
}

/** RFC 9110 §5.6.2 tchar, plus '/' so that a token68 is read whole. */
function isTokenChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && '"(),:;<=>?@[\\]{}'.indexOf(c) < 0;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  challenges(out: Challenge[]): void {
    for (;;) {
      this.skip(" \t,");
      if (this.i >= this.s.length) return;
      const scheme = this.token();
      if (scheme.length === 0) {
        this.i++; // not a token character: skip it rather than loop
        continue;
      }
      const params: Record<string, string> = Object.create(null);
      this.params(params);
      out.push({ scheme: scheme.toLowerCase(), params });
    }
  }

  private params(params: Record<string, string>): void {
    for (;;) {
      const mark = this.i;
      this.skip(" \t");
      const name = this.token();
      this.skip(" \t");
      if (name.length === 0 || this.i >= this.s.length || this.s[this.i] !== "=") {
        if (
          name.length > 0 &&
          Object.keys(params).length === 0 &&
          mark < this.i &&
          (this.i >= this.s.length || this.s[this.i] === ",") &&
          !(mark > 0 && this.s[mark - 1] === ",")
        ) {
          return; // a token68 credential; nothing we need from it
        }
        this.i = mark;
        return;
      }
      this.i++; // '='
      if (this.i < this.s.length && this.s[this.i] === "=") {
        while (this.i < this.s.length && this.s[this.i] === "=") this.i++; // token68 padding
        return;
      }
      this.skip(" \t");
      const value = this.i < this.s.length && this.s[this.i] === '"' ? this.quoted() : this.bareValue();
      params[name.toLowerCase()] = value;
      this.skip(" \t");
      if (this.i < this.s.length && this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.nextIsParam()) continue; // space-separated auth-params
      return;
    }
  }

  /** True when the text ahead is `name=` (an auth-param), not a new scheme or a token68. */
  private nextIsParam(): boolean {
    const mark = this.i;
    const name = this.token();
    this.skip(" \t");
    const param = name.length > 0 && this.i < this.s.length && this.s[this.i] === "="
      && (this.i + 1 >= this.s.length || this.s[this.i + 1] !== "=");
    this.i = mark;
    return param;
  }

  /** An unquoted value: a token, or leniently anything up to the next space or comma. */
  private bareValue(): string {
    const start = this.i;
    for (; this.i < this.s.length; this.i++) {
      const code = this.s.charCodeAt(this.i);
      if (code <= 0x20 || code >= 0x7f || this.s[this.i] === "," || this.s[this.i] === '"') break;
    }
    return this.s.substring(start, this.i);
  }

  private token(): string {
    const start = this.i;
    while (this.i < this.s.length && isTokenChar(this.s[this.i])) this.i++;
    return this.s.substring(start, this.i);
  }

  private quoted(): string {
    let sb = "";
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === "\\" && this.i < this.s.length) sb += this.s[this.i++];
      else if (c === '"') return sb;
      else sb += c;
    }
    return sb;
  }

  private skip(chars: string): void {
    while (this.i < this.s.length && chars.indexOf(this.s[this.i]) >= 0) this.i++;
  }
}
