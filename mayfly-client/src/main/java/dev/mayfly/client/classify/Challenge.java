package dev.mayfly.client.classify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 9110 §11.6.1, syntax of §11.3
 * and RFC 7235 §2.1): a scheme and its auth-params. A header value may hold several challenges, and a
 * response several headers; {@link #parse} reads them all. Scheme and parameter names are lower-cased.
 *
 * <p>Lenient where real servers are not RFC-conformant: auth-params separated by spaces instead of commas
 * (AWS API Gateway's JWT authorizer: {@code Bearer scope="" error="invalid_token" error_description="..."};
 * Kong; Azure Storage's {@code Bearer authorization_uri=https://... resource_id=https://...}), and unquoted
 * values holding characters a token may not ({@code :} in a URL): such a value runs to the next space or comma.
 */
record Challenge(String scheme, Map<String, String> params) {
    Challenge {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    String param(String name) {
        return params.get(name);
    }

    static List<Challenge> parse(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        for (String value : headerValues) {
            if (value != null && value.length() <= 16_384) {
                new Parser(value).challenges(out);
            }
        }
        return out;
    }

    /** A small recursive-descent reader of {@code #challenge}: {@code scheme [ token68 / #auth-param ]}. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        void challenges(List<Challenge> out) {
            while (true) {
                skip(" \t,");
                if (i >= s.length()) {
                    return;
                }
                String scheme = token();
                if (scheme.isEmpty()) {
                    i++; // not a token character: skip it rather than loop
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                params(params);
                out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params));
            }
        }

        private void params(Map<String, String> params) {
            while (true) {
                int mark = i;
                skip(" \t");
                String name = token();
                skip(" \t");
                if (name.isEmpty() || i >= s.length() || s.charAt(i) != '=') {
                    if (!name.isEmpty() && params.isEmpty() && mark < i && (i >= s.length() || s.charAt(i) == ',')
                            && !startsNewChallenge(mark)) {
                        return; // a token68 credential; nothing we need from it
                    }
                    i = mark;
                    return;
                }
                i++; // '='
                if (i < s.length() && s.charAt(i) == '=') {
                    // token68 ending in '=' padding: not an auth-param
                    while (i < s.length() && s.charAt(i) == '=') {
                        i++;
                    }
                    return;
                }
                skip(" \t");
                String value = i < s.length() && s.charAt(i) == '"' ? quoted() : bareValue();
                params.put(name.toLowerCase(Locale.ROOT), value);
                skip(" \t");
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                if (nextIsParam()) {
                    continue; // space-separated auth-params
                }
                return;
            }
        }

        /** After a comma, a token followed by a space and another token is the next challenge's scheme. */
        private boolean startsNewChallenge(int mark) {
            return mark > 0 && s.charAt(mark - 1) == ',';
        }

        /** True when the text ahead is {@code name=} (an auth-param), not a new scheme or a token68. */
        private boolean nextIsParam() {
            int mark = i;
            String name = token();
            skip(" \t");
            boolean param = !name.isEmpty() && i < s.length() && s.charAt(i) == '='
                    && (i + 1 >= s.length() || s.charAt(i + 1) != '=');
            i = mark;
            return param;
        }

        /** An unquoted value: a token, or leniently anything up to the next space or comma. */
        private String bareValue() {
            int start = i;
            while (i < s.length() && s.charAt(i) > 0x20 && s.charAt(i) < 0x7f && s.charAt(i) != ','
                    && s.charAt(i) != '"') {
                i++;
            }
            return s.substring(start, i);
        }

        private String token() {
            int start = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        private String quoted() {
            StringBuilder sb = new StringBuilder();
            i++; // opening quote
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    sb.append(s.charAt(i++));
                } else if (c == '"') {
                    return sb.toString();
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        private void skip(String chars) {
            while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        /** RFC 9110 §5.6.2 tchar, plus '/' so that a token68 is read whole. */
        private static boolean isTokenChar(char c) {
            return c > 0x20 && c < 0x7f && "\"(),:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
