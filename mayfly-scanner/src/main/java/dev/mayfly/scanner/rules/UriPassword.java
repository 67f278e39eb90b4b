package dev.mayfly.scanner.rules;

/**
 * The password of a URI's userinfo ({@code postgres://app:<pw>@db}, {@code amqp://:pw@mq}, any scheme).
 * The rule's regex takes the password up to the last {@code @} before the host, so passwords that carry
 * an unescaped {@code @}, {@code $} or {@code *} are taken whole. Refused: stand-ins and placeholders
 * ({@code postgres:postgres}, {@code ${DB_PASS}}), and values that start like a format with its own rule
 * ({@code https://x-access-token:ghs_…@github.com} is the GitHub rule's). Stateless.
 */
final class UriPassword implements ReasonedCheck {
    @Override
    public String refusal(Candidate c) {
        String pw = c.secret();
        if (SecretPrefixes.hasKnownPrefix(pw)) {
            return "starts like a format with its own rule";
        }
        return PasswordShape.refusal(pw, 6);
    }
}
