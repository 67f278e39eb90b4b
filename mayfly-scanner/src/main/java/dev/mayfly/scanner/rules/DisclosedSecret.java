package dev.mayfly.scanner.rules;

import java.util.Locale;

/**
 * A secret told in words in a transcript or a chat ("the db password is …", "my API key for staging was
 * …"): the rule anchors on the noun and the verb, this check judges the value. A password must look
 * chosen ({@link PasswordShape}: "the password is stored in the vault" is prose); a key, token or secret
 * must also not be an identifier ("the token is req_7f3a9b2c"). Stateless.
 */
final class DisclosedSecret implements ReasonedCheck {
    @Override
    public String refusal(Candidate c) {
        String value = c.secret();
        if (SecretPrefixes.hasKnownPrefix(value)) {
            return "starts like a format with its own rule";
        }
        String shape = PasswordShape.refusal(value, 6);
        if (shape != null) {
            return shape;
        }
        String noun = c.match().toLowerCase(Locale.ROOT);
        boolean password = noun.startsWith("pass") || noun.startsWith("pwd");
        if (!password) {
            String identifier = IdentifierShape.reason(value, GenericAssignment.IDENTIFIER_BITS_UNDER_SECRET_KEYS);
            if (identifier != null) {
                return identifier;
            }
        }
        return null;
    }
}
