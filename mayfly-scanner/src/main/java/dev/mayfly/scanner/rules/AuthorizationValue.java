package dev.mayfly.scanner.rules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The credentials of an {@code Authorization} or {@code Proxy-Authorization} header. {@code Basic} carries
 * base64 of {@code user:password} (RFC 7617): it must decode to UTF-8 text with a colon and a password
 * that looks chosen ({@link PasswordShape}), or an empty password after a key-like user (API keys sent as
 * the Basic user, Stripe style). Other schemes ({@code Bearer}, {@code Token}, {@code ApiKey}…) carry an
 * opaque token: 16+ characters, letters and digits, entropy 3.5, not an identifier and not a format with
 * its own rule (a JWT is the JWT rule's). Stateless.
 */
final class AuthorizationValue implements ReasonedCheck {
    @Override
    public String refusal(Candidate c) {
        String value = c.secret();
        String match = c.match().toLowerCase(Locale.ROOT);
        int at = match.lastIndexOf(value.toLowerCase(Locale.ROOT));
        String head = at < 0 ? match : match.substring(0, at).trim();
        if (head.endsWith("basic")) {
            return basic(value);
        }
        return opaque(value);
    }

    private static String basic(String value) {
        String text;
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return "Basic credentials that are not base64 of UTF-8 text";
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return "Basic credentials without a user:password colon";
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return "Basic credentials with control characters";
            }
        }
        String user = text.substring(0, colon);
        String password = text.substring(colon + 1);
        if (password.isEmpty()) {
            return opaque(user) == null ? null : "Basic credentials with an empty password and an ordinary user";
        }
        if (SecretPrefixes.hasKnownPrefix(password)) {
            return "the password starts like a format with its own rule";
        }
        return PasswordShape.refusal(password, 6);
    }

    private static String opaque(String value) {
        if (SecretPrefixes.hasKnownPrefix(value)) {
            return "starts like a format with its own rule";
        }
        if (value.length() < 16) {
            return "shorter than 16 characters";
        }
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < value.length(); i++) {
            letter |= Character.isLetter(value.charAt(i));
            digit |= Character.isDigit(value.charAt(i));
        }
        if (!letter || !digit) {
            return "not letters with digits";
        }
        String placeholder = Placeholders.reason(value);
        if (placeholder != null) {
            return placeholder;
        }
        String identifier = IdentifierShape.reason(value, GenericAssignment.IDENTIFIER_BITS_UNDER_SECRET_KEYS);
        if (identifier != null) {
            return identifier;
        }
        double entropy = Shannon.entropy(value);
        return entropy >= 3.5 ? null
                : String.format(Locale.ROOT, "entropy %.2f below 3.50 bits per character", entropy);
    }
}
