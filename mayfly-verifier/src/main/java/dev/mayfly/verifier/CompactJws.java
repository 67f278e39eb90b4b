package dev.mayfly.verifier;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.Map;

/**
 * The structure of a JWS in compact serialization (RFC 7515 §7.1): three non-empty base64url parts joined
 * by dots, the first a JSON object. Checked before any key lookup or signature work, so garbage costs
 * little. Parsing the payload and verifying the signature are left to Nimbus.
 */
final class CompactJws {
    private final Map<String, Object> header;

    private CompactJws(Map<String, Object> header) {
        this.header = header;
    }

    /** The decoded protected header, as parsed JSON. */
    Map<String, Object> header() {
        return header;
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
        try {
            String json = new Base64URL(token.substring(0, firstDot)).decodeToString();
            if (!json.startsWith("{")) {
                throw Reason.MALFORMED.reject();
            }
            return new CompactJws(JSONObjectUtils.parse(json));
        } catch (ParseException | RuntimeException e) {
            throw Reason.MALFORMED.reject();
        }
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return "CompactJws[header " + header.keySet() + "]";
    }
}
