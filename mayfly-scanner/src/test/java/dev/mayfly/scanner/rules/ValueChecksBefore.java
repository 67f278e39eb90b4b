package dev.mayfly.scanner.rules;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value checks of the generic rule as they were before they were written for speed (issue 24, branch
 * scan4): IdentifierShape, Placeholders and GenericAssignment verbatim, renamed. ValueChecksFastPathTest
 * holds the current ones to these on random values, reason for reason.
 */
final class ValueChecksBefore {
    private ValueChecksBefore() {
    }

    static final class IdentifierShapeBefore {
        private IdentifierShapeBefore() {
        }

        /**
         * The reason {@code value} is an identifier, or {@code null}. {@code maxBits} bounds the random material
         * an identifier may carry (a value with more is judged by the caller's other checks); use
         * {@link Integer#MAX_VALUE} where any amount is allowed.
         */
        static String reason(String value, int maxBits) {
            int parts = 0;
            int words = 0;
            double bits = 0;
            int start = 0;
            int n = value.length();
            for (int i = 0; i <= n; i++) {
                char c = i < n ? value.charAt(i) : ':';
                if (Character.isLetterOrDigit(c) && c < 128) {
                    continue;
                }
                if (c != ':' && c != '-' && c != '_' && c != '.' && c != '/' && c != '@') {
                    return null;
                }
                if (i > start) {
                    parts++;
                    String part = value.substring(start, i);
                    if (isWord(part)) {
                        words++;
                    } else if (isNumber(part)) {
                        bits += part.length() * 3.32;
                    } else if (isHex(part)) {
                        bits += part.length() * 4;
                    } else if (isWordWithNumber(part)) {
                        words++;
                        bits += trailingDigits(part) * 3.32;
                    } else {
                        return null;
                    }
                }
                start = i + 1;
            }
            // One part alone is an identifier only as a word, or a word with a short number (Rotation2024).
            if (words == 0 || (parts < 2 && bits == 0 && !isWord(value)) || bits > maxBits) {
                return null;
            }
            return String.format(Locale.ROOT, "an identifier: %d parts of words, numbers and hex (%d bits of random material)",
                    parts, Math.round(bits));
        }

        /**
         * Letters that read as a word: one case, Capitalized, or camelCase humps of 3+, each hump reading as a
         * word: one case after its first letter; up to 8 letters, a vowel and no run of five consonants; longer,
         * a vowel in three, no run of four consonants ({@code y} counts as a vowel) and three pairs in four among
         * English's most common: random letters rarely pass all three ({@code
         * euwkekqnxfntjbhozqe}), dictionary compounds do ({@code secretsmanager}, {@code idempotency}).
         */
        static boolean isWord(String p) {
            int from = 0;
            for (int i = 0; i <= p.length(); i++) {
                boolean end = i == p.length();
                if (!end && !Character.isLetter(p.charAt(i))) {
                    return false;
                }
                boolean hump = !end && i > 0 && Character.isUpperCase(p.charAt(i)) && Character.isLowerCase(p.charAt(i - 1));
                if (end || hump) {
                    if ((hump || from > 0) && i - from < 3) {
                        return false; // camelCase humps are words, not one or two letters
                    }
                    boolean camel = hump || from > 0;
                    if (!readsAsWord(p, from, i) || (camel && !hasVowelOrIsUpper(p, from, i))) {
                        return false;
                    }
                    from = i;
                }
            }
            return p.length() > 0;
        }

        /** A camelCase hump of any length has a vowel, or is an acronym in capitals ({@code HTTP}). */
        private static boolean hasVowelOrIsUpper(String p, int from, int to) {
            boolean upper = true;
            for (int i = from; i < to; i++) {
                if ("aeiouyAEIOUY".indexOf(p.charAt(i)) >= 0) {
                    return true;
                }
                upper &= Character.isUpperCase(p.charAt(i));
            }
            return upper;
        }

        private static boolean readsAsWord(String p, int from, int to) {
            int n = to - from;
            for (int i = from + 2; i < to; i++) {
                // after its first letter a hump keeps one case: Word, word, WORD; never wOrD or WOrd
                if (Character.isUpperCase(p.charAt(i)) != Character.isUpperCase(p.charAt(from + 1))) {
                    return false;
                }
            }
            if (n <= 3) {
                return true;
            }
            int vowels = 0;
            int consonants = 0;
            int longestConsonants = 0;
            for (int i = from; i < to; i++) {
                if ("aeiouyAEIOUY".indexOf(p.charAt(i)) >= 0) {
                    vowels++;
                    consonants = 0;
                } else {
                    longestConsonants = Math.max(longestConsonants, ++consonants);
                }
            }
            if (n <= 8) {
                return vowels > 0 && longestConsonants <= 4;
            }
            return vowels * 10 >= 3 * n && longestConsonants <= 3 && commonBigrams(p, from, to) * 4 >= (n - 1) * 3;
        }

        /**
         * The most frequent letter pairs of English text (Norvig's counts over the Google books corpus, about
         * the first 216): three in four pairs of a long word are among them, one in five of random letters.
         */
        private static final String COMMON_BIGRAMS = "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha "
                + "as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us "
                + "ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su "
                + "id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do "
                + "uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds "
                + "lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr cy";

        private static int commonBigrams(String p, int from, int to) {
            int common = 0;
            for (int i = from; i + 1 < to; i++) {
                String pair = p.substring(i, i + 2).toLowerCase(Locale.ROOT);
                if (COMMON_BIGRAMS.contains(pair) && COMMON_BIGRAMS.indexOf(pair) % 3 == 0) {
                    common++;
                }
            }
            return common;
        }

        private static boolean isNumber(String p) {
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        /** Hex digits of one case (a digest or an id prints them so; random base62 mixes cases). */
        private static boolean isHex(String p) {
            boolean upper = false;
            boolean lower = false;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (Character.digit(c, 16) < 0) {
                    return false;
                }
                upper |= c >= 'A' && c <= 'F';
                lower |= c >= 'a' && c <= 'f';
            }
            return !(upper && lower);
        }

        /** A word followed by a short number: {@code v2}, {@code node17}, {@code us1}. */
        private static boolean isWordWithNumber(String p) {
            int d = trailingDigits(p);
            return d > 0 && d <= 6 && d < p.length() && isWord(p.substring(0, p.length() - d));
        }

        private static int trailingDigits(String p) {
            int d = 0;
            while (d < p.length() && Character.isDigit(p.charAt(p.length() - 1 - d))) {
                d++;
            }
            return d;
        }
    }

    static final class PlaceholdersBefore {
        private static final Set<String> KNOWN_EXAMPLES = Set.of(
                "AKIAIOSFODNN7EXAMPLE",
                "AKIAI44QH8DHBEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
                "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
                "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
        private static final String[] MARKERS = {
            "xxxx", "****", "....", "${", "{{", "}}", "<", ">", "$(",
            "example", "redacted", "placeholder", "changeme", "change_me", "change-me", "your_", "your-",
            "yourapikey", "yourtoken", "yoursecret", "insert", "replace", "dummy", "sample", "fake", "notreal",
            "not_real", "not-real", "todo", "fixme", "foobar", "lorem",
        };

        private PlaceholdersBefore() {
        }

        static boolean looksLikePlaceholder(String value) {
            return reason(value) != null;
        }

        /** Why the value is a placeholder, or {@code null} when it is not one. Never quotes the value. */
        static String reason(String value) {
            if (KNOWN_EXAMPLES.contains(value)) {
                return "a documentation example";
            }
            if (value.contains("%s")) {
                // printf's hole is lower case; "%S" is as likely as any pair in a generated password
                return "placeholder marker \"%s\"";
            }
            String lower = value.toLowerCase(Locale.ROOT);
            for (String m : MARKERS) {
                if (lower.contains(m)) {
                    return "placeholder marker \"" + m + "\"";
                }
            }
            return hasFiller(lower) ? "filler (six or more of one character, or a run such as abcdef)" : null;
        }

        /**
         * Six or more of one character, or six or more consecutive characters such as 123456 or abcdef, in a
         * part of the value (between separators) that holds a letter. A part of digits only is a number (a Slack
         * team id, an account, a timestamp) in which a run like 123456 happens by chance; it is never filler
         * evidence, so a real token is not dropped for its ids (issue 24).
         */
        private static boolean hasFiller(String s) {
            int start = 0;
            for (int i = 0; i <= s.length(); i++) {
                if (i == s.length() || !Character.isLetterOrDigit(s.charAt(i))) {
                    if (hasLetter(s, start, i) && hasRun(s, start, i)) {
                        return true;
                    }
                    start = i + 1;
                }
            }
            return hasSeparatorRun(s);
        }

        private static boolean hasRun(String s, int from, int to) {
            int same = 1;
            int sequential = 1;
            for (int i = from + 1; i < to; i++) {
                char prev = s.charAt(i - 1);
                char c = s.charAt(i);
                same = c == prev ? same + 1 : 1;
                sequential = c == prev + 1 ? sequential + 1 : 1;
                if (same >= 6 || sequential >= 6) {
                    return true;
                }
            }
            return false;
        }

        /** Six or more of one separator ({@code ------}, {@code ______}). */
        private static boolean hasSeparatorRun(String s) {
            int same = 1;
            for (int i = 1; i < s.length(); i++) {
                char c = s.charAt(i);
                same = c == s.charAt(i - 1) && !Character.isLetterOrDigit(c) ? same + 1 : 1;
                if (same >= 6) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasLetter(String s, int from, int to) {
            for (int i = from; i < to; i++) {
                if (Character.isLetter(s.charAt(i))) {
                    return true;
                }
            }
            return false;
        }

        /** A check that rejects placeholders, saying which kind. */
        static SecretCheck rejecting() {
            return new SecretCheck() {
                @Override
                public boolean accepts(Candidate c) {
                    return !looksLikePlaceholder(c.secret());
                }

                @Override
                public String refusal(Candidate c) {
                    return reason(c.secret());
                }
            };
        }
    }

    static final class GenericAssignmentBefore implements ReasonedCheck {
        /** What {@link #strongKey} finds, as a regex (the definition; the method is the fast form). */
        static final Pattern STRONG_KEY = Pattern.compile(
                "secret|token|credential|api[_.\\-]?key|apikey|private[_.\\-]?key|access[_.\\-]?key|auth[_.\\-]?key"
                        + "|signing[_.\\-]?key|encryption[_.\\-]?key|master[_.\\-]?key");
        /** Words of a key name that make it metadata about a secret, not the secret itself. */
        private static final Set<String> METADATA_WORDS = Set.of(
                "hash", "hashed", "digest", "sha", "sha1", "sha256", "sha512", "md5", "crc", "crc32", "checksum",
                "fingerprint", "etag", "nonce", "cursor", "page", "continuation", "id", "ids", "name", "type", "file",
                "path", "url", "uri", "ref", "arn", "version", "count", "size", "length", "len", "max", "min",
                "expires", "expire", "expiry", "expiration", "ttl", "timeout", "limit", "format", "kind", "mode",
                "header", "field", "public", "hint", "policy", "endpoint", "usage", "used", "prefix", "suffix");
        private static final Pattern UUID = Pattern.compile(
                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        private static final Pattern CODE_REFERENCE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+");

        /** Random material (bits) above which a value under a secret or token name is judged on entropy alone. */
        static final int IDENTIFIER_BITS_UNDER_SECRET_KEYS = 96;

        @Override
        public String refusal(Candidate c) {
            String value = c.secret();
            int n = value.length();
            if (n < 8) {
                return "shorter than 8 characters";
            }
            // One pass over the value; the cheapest rejections come first (this runs for every key=value).
            boolean hasLetter = false;
            boolean hasDigit = false;
            boolean hasUpper = false;
            boolean hasLower = false;
            boolean hasSymbol = false;
            boolean hexOnly = true;
            boolean numeric = true;
            for (int i = 0; i < n; i++) {
                char ch = value.charAt(i);
                if (ch >= '0' && ch <= '9') {
                    hasDigit = true;
                    continue;
                }
                if (ch != '.' && ch != '-' && ch != '+' && ch != ':') {
                    numeric = false;
                }
                if (Character.isLetter(ch)) {
                    hasLetter = true;
                    boolean upper = Character.isUpperCase(ch);
                    hasUpper |= upper;
                    hasLower |= !upper;
                    if (Character.digit(ch, 16) < 0) {
                        hexOnly = false;
                    }
                } else {
                    hasSymbol = true;
                    hexOnly = false;
                }
            }
            if (numeric || !hasLetter) {
                return "no letters: a number, a date or a version";
            }
            hexOnly &= !(hasUpper && hasLower);
            String rawKey = identifierEnd(c.before()) + keyOf(c.match(), value);
            String key = rawKey.toLowerCase(Locale.ROOT);
            boolean password = key.contains("pass") || key.contains("pwd");
            boolean strong = !password && strongKey(key);
            if (password) {
                if (!hasDigit && !hasSymbol) {
                    return "letters only under a password name: a word";
                }
            } else if (strong) {
                if (n < 12 || !(hasDigit || (hasUpper && hasLower))) {
                    return "under a secret or token name: shorter than 12, or neither digits nor mixed case";
                }
            } else if (n < 16 || !hasDigit || hexOnly) {
                // A bare "..._key" is the weakest evidence: hex digests under such names are identifiers.
                return "under a bare key name: shorter than 16, no digit, or hex only (a digest)";
            }
            if (namesMetadata(rawKey)) {
                return "the key names metadata (hash, id, name, url, count...)";
            }
            if (SecretPrefixes.hasKnownPrefix(value)) {
                return "starts like a format with its own rule";
            }
            if (value.contains("://") || looksLikePath(value)) {
                return "a URL or a path";
            }
            if (CODE_REFERENCE.matcher(value).matches()) {
                return "a code reference (dotted name)";
            }
            String placeholder = PlaceholdersBefore.reason(value);
            if (placeholder != null) {
                return placeholder;
            }
            if (!password) {
                String identifier = IdentifierShapeBefore.reason(value,
                        strong ? IDENTIFIER_BITS_UNDER_SECRET_KEYS : Integer.MAX_VALUE);
                if (identifier != null) {
                    return identifier;
                }
            }
            double entropy = c.entropy();
            if (password) {
                return entropy >= 2.5 ? null : entropyBelow(entropy, 2.5);
            }
            if (strong) {
                if (entropy < 3.2) {
                    return entropyBelow(entropy, 3.2);
                }
                return hasDigit || entropy >= 3.8 ? null : "no digit and entropy below 3.80 bits per character";
            }
            if (entropy < 3.5) {
                return entropyBelow(entropy, 3.5);
            }
            return UUID.matcher(value).matches() ? "a UUID under a bare key name" : null;
        }

        private static String entropyBelow(double entropy, double floor) {
            return String.format(Locale.ROOT, "entropy %.2f below %.2f bits per character", entropy, floor);
        }

        private static final String[] KEY_QUALIFIERS = {"api", "private", "access", "auth", "signing", "encryption", "master"};

        /**
         * Whether {@link #STRONG_KEY} occurs in the lower-cased key: {@code secret}, {@code token},
         * {@code credential}, or {@code key} after one of {@link #KEY_QUALIFIERS} and an optional {@code _ . -}.
         * Written out because it runs for every candidate assignment and a regex search costs a matcher.
         */
        static boolean strongKey(String key) {
            if (key.contains("secret") || key.contains("token") || key.contains("credential")) {
                return true;
            }
            for (int at = key.indexOf("key"); at >= 0; at = key.indexOf("key", at + 1)) {
                boolean separated = at > 0 && (key.charAt(at - 1) == '_' || key.charAt(at - 1) == '.' || key.charAt(at - 1) == '-');
                for (String q : KEY_QUALIFIERS) {
                    if (key.startsWith(q, at - q.length()) || (separated && key.startsWith(q, at - 1 - q.length()))) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The identifier characters at the end of {@code before}: the start of a key the match begins inside. */
        static String identifierEnd(String before) {
            int i = before.length();
            while (i > 0) {
                char ch = before.charAt(i - 1);
                if (!Character.isLetterOrDigit(ch) && ch != '_' && ch != '.' && ch != '-') {
                    break;
                }
                i--;
            }
            return before.substring(i);
        }

        /** The key name: the match up to the value, without quotes, spaces and the assignment operator. */
        static String keyOf(String match, String value) {
            int at = match.lastIndexOf(value);
            String key = at < 0 ? match : match.substring(0, at);
            int end = key.length();
            while (end > 0 && "\"'` \t:=>-".indexOf(key.charAt(end - 1)) >= 0) {
                end--;
            }
            return key.substring(0, end);
        }

        /** True when a word of the key (split at {@code _ . -} and camelCase humps) names metadata. */
        static boolean namesMetadata(String key) {
            StringBuilder word = new StringBuilder();
            for (int i = 0; i <= key.length(); i++) {
                char ch = i < key.length() ? key.charAt(i) : '_';
                boolean hump = Character.isUpperCase(ch) && i > 0 && Character.isLowerCase(key.charAt(i - 1));
                if (ch == '_' || ch == '.' || ch == '-' || ch == ' ' || hump) {
                    if (METADATA_WORDS.contains(word.toString())) {
                        return true;
                    }
                    word.setLength(0);
                }
                if (Character.isLetterOrDigit(ch)) {
                    word.append(Character.toLowerCase(ch));
                }
            }
            return false;
        }

        private static boolean looksLikePath(String v) {
            return v.startsWith("/") || v.startsWith("./") || v.startsWith("../") || v.startsWith("~/")
                    || (v.length() > 2 && v.charAt(1) == ':' && (v.charAt(2) == '\\' || v.charAt(2) == '/'));
        }
    }
}
