package dev.mayfly.verifier;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;

/**
 * The structure of a JWS in compact serialization (RFC 7515 §7.1): three non-empty canonical base64url parts
 * joined by dots, the first a JSON object. Checked before any key lookup or signature work, so garbage costs
 * little. The token is split and its header decoded once, here; the payload is decoded only after the
 * signature over {@link #signingInput()} verified.
 */
final class CompactJws {
    private final String token;
    private final int firstDot;
    private final int secondDot;
    private final Map<String, Object> header;

    private CompactJws(String token, int firstDot, int secondDot, Map<String, Object> header) {
        this.token = token;
        this.firstDot = firstDot;
        this.secondDot = secondDot;
        this.header = header;
    }

    /** The decoded protected header, as parsed JSON. */
    Map<String, Object> header() {
        return header;
    }

    /** What the signature covers (RFC 7515 §5.2 step 8): the first two parts and the dot between, as ASCII. */
    byte[] signingInput() {
        return token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
    }

    /** The decoded signature. */
    byte[] signature() {
        return new Base64URL(token.substring(secondDot + 1)).decode();
    }

    /** The decoded payload as a JSON object; call only once the signature verified. */
    Map<String, Object> payload() throws Rejection {
        try {
            return JSONObjectUtils.parse(new Base64URL(token.substring(firstDot + 1, secondDot)).decodeToString());
        } catch (ParseException | RuntimeException e) {
            throw Reason.MALFORMED_CLAIMS.reject();
        }
    }

    static CompactJws parse(String token) throws Rejection {
        int firstDot = -1;
        int secondDot = -1;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (firstDot < 0) {
                    firstDot = i;
                } else if (secondDot < 0) {
                    secondDot = i;
                } else {
                    throw Reason.MALFORMED.reject();
                }
            } else if (!isBase64Url(c)) {
                throw Reason.MALFORMED.reject();
            }
        }
        // Each part non-empty: an empty signature is what alg "none" looks like (RFC 7519 §6.1).
        if (firstDot <= 0 || secondDot <= firstDot + 1 || secondDot == token.length() - 1) {
            throw Reason.MALFORMED.reject();
        }
        if (!isCanonical(token, 0, firstDot) || !isCanonical(token, firstDot + 1, secondDot)
                || !isCanonical(token, secondDot + 1, token.length())) {
            throw Reason.MALFORMED.reject();
        }
        try {
            String json = new Base64URL(token.substring(0, firstDot)).decodeToString();
            if (!json.startsWith("{")) {
                throw Reason.MALFORMED.reject();
            }
            return new CompactJws(token, firstDot, secondDot, JSONObjectUtils.parse(json));
        } catch (ParseException | RuntimeException e) {
            throw Reason.MALFORMED.reject();
        }
    }

    /**
     * Whether {@code token[from, to)} is canonical unpadded base64url (RFC 4648 §3.5, RFC 7515 §2): a
     * length that whole bytes can have and the unused low bits of the last character zero. Lenient
     * decoders ignore those bits, which would give one token many spellings.
     */
    private static boolean isCanonical(String token, int from, int to) {
        int unusedBits = switch ((to - from) % 4) {
            case 0 -> 0;
            case 2 -> 4;
            case 3 -> 2;
            default -> -1;
        };
        if (unusedBits <= 0) {
            return unusedBits == 0;
        }
        return (sextet(token.charAt(to - 1)) & ((1 << unusedBits) - 1)) == 0;
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return "CompactJws[header " + header.keySet() + "]";
    }
}
