package dev.mayfly.scanner.rules;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether {@code key = value} (or {@code "key": "value"}) carries a secret. The key name sets the
 * bar: password-like keys accept human passwords (8+ chars, letters with digits or symbols); secret,
 * token, credential and API-key names need 12+ chars of entropy at least 3.2 bits/char; a bare
 * {@code ..._key} needs 16+ chars, entropy 3.5, letters and digits, and never a hex digest or UUID
 * ({@code cache_key=<sha1>} is not a secret). Keys naming metadata (hash, id, name, url, count...) never
 * carry one; values that are placeholders, URLs, paths, code references, identifiers
 * ({@link IdentifierShape}, except under password names) or structured formats with their own rule are
 * left alone. {@link #refusal} says which of these applied.
 */
final class GenericAssignment implements ReasonedCheck {
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
    // the lengths of METADATA_WORDS: a word of another length is not copied to be looked up
    private static final int METADATA_WORD_MIN = METADATA_WORDS.stream().mapToInt(String::length).min().orElse(0);
    private static final int METADATA_WORD_MAX = METADATA_WORDS.stream().mapToInt(String::length).max().orElse(0);
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** A dotted name ({@code os.environ.get}); the definition of {@link #isCodeReference}. */
    static final Pattern CODE_REFERENCE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+");

    /** Random material (bits) above which a value under a secret or token name is judged on entropy alone. */
    static final int IDENTIFIER_BITS_UNDER_SECRET_KEYS = 96;

    /** The refusal {@link #accepts} gives for any reason: only whether there is one matters there. */
    private static final String REFUSED = "refused";

    @Override
    public String refusal(Candidate c) {
        return refusal(c, true);
    }

    /**
     * As {@link #refusal}, without formatting the reasons that cost a {@code String.format}: most candidate
     * assignments of a scan are refused (as identifiers, mostly), and without {@code --explain} nobody reads why.
     */
    @Override
    public boolean accepts(Candidate c) {
        return refusal(c, false) == null;
    }

    /** The reason, exactly as worded when {@code explain}; otherwise any non-null reason stands for it. */
    private static String refusal(Candidate c, boolean explain) {
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
            if (Ascii.isLetter(ch)) {
                hasLetter = true;
                boolean upper = Ascii.isUpperCase(ch);
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
        if (isCodeReference(value)) {
            return "a code reference (dotted name)";
        }
        String placeholder = Placeholders.reason(value);
        if (placeholder != null) {
            return placeholder;
        }
        if (!password) {
            int maxBits = strong ? IDENTIFIER_BITS_UNDER_SECRET_KEYS : Integer.MAX_VALUE;
            if (!explain) {
                if (IdentifierShape.isIdentifier(value, maxBits)) {
                    return REFUSED;
                }
            } else {
                String identifier = IdentifierShape.reason(value, maxBits);
                if (identifier != null) {
                    return identifier;
                }
            }
        }
        double entropy = c.entropy();
        if (password) {
            return entropy >= 2.5 ? null : explain ? entropyBelow(entropy, 2.5) : REFUSED;
        }
        if (strong) {
            if (entropy < 3.2) {
                return explain ? entropyBelow(entropy, 3.2) : REFUSED;
            }
            return hasDigit || entropy >= 3.8 ? null : "no digit and entropy below 3.80 bits per character";
        }
        if (entropy < 3.5) {
            return explain ? entropyBelow(entropy, 3.5) : REFUSED;
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
                int length = word.length();
                if (length >= METADATA_WORD_MIN && length <= METADATA_WORD_MAX && METADATA_WORDS.contains(word.toString())) {
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

    /**
     * Whether {@link #CODE_REFERENCE} matches all of {@code v}: two or more names joined by dots, each a
     * letter, {@code _} or {@code $} then letters, digits, {@code _} or {@code $}. Written out because it
     * runs for most candidate assignments and a matcher costs allocations.
     */
    static boolean isCodeReference(String v) {
        int names = 0;
        int at = 0;
        int n = v.length();
        while (true) {
            if (at >= n || !isNameStart(v.charAt(at))) {
                return false;
            }
            at++;
            while (at < n && (isNameStart(v.charAt(at)) || (v.charAt(at) >= '0' && v.charAt(at) <= '9'))) {
                at++;
            }
            names++;
            if (at == n) {
                return names >= 2;
            }
            if (v.charAt(at) != '.') {
                return false;
            }
            at++;
        }
    }

    private static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$';
    }

    private static boolean looksLikePath(String v) {
        return v.startsWith("/") || v.startsWith("./") || v.startsWith("../") || v.startsWith("~/")
                || (v.length() > 2 && v.charAt(1) == ':' && (v.charAt(2) == '\\' || v.charAt(2) == '/'));
    }
}
