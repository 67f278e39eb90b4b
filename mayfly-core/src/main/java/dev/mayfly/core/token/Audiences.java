package dev.mayfly.core.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What may be an audience ({@code aud}, RFC 7519 §4.1.3; {@code resource}, RFC 8707): an absolute {@code https}
 * or {@code http} URI with a host and no user info or fragment, a {@code urn:} name (RFC 8141), or a plain
 * identifier ({@code orders-api}, {@code orders.example.com}). Anything else ({@code javascript:}, {@code data:},
 * {@code file:}, control characters, NUL) is refused where audiences enter: agent registration, token exchange,
 * the policy file. An audience ends up in tokens, in the audit trail and on consoles, so it must be inert text.
 */
public final class Audiences {
    public static final int MAX_LENGTH = 500;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** RFC 8141: {@code urn:<NID>:<NSS>}, NID 2-32 characters; the NSS in URI characters. */
    private static final Pattern URN = Pattern.compile("(?i)urn:[a-z0-9][a-z0-9-]{0,30}[a-z0-9]:[A-Za-z0-9()+,\\-.:=@;$_!*'%/~&]+");

    private Audiences() {
    }

    /** True when {@code audience} is an audience Mayfly accepts (see the class comment). */
    public static boolean isValid(String audience) {
        if (audience == null || audience.isEmpty() || audience.length() > MAX_LENGTH || !printableAscii(audience)) {
            return false;
        }
        if (PLAIN.matcher(audience).matches()) {
            return true;
        }
        String lower = audience.toLowerCase(Locale.ROOT);
        if (lower.startsWith("urn:")) {
            return URN.matcher(audience).matches();
        }
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            return false;
        }
        try {
            URI uri = new URI(audience);
            return uri.isAbsolute() && uri.getHost() != null && !uri.getHost().isEmpty()
                    && uri.getRawUserInfo() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Why an audience is refused, for error messages (which never quote the refused value). */
    public static String rule() {
        return "an audience must be an absolute https or http URI (with a host, no user info, no fragment), "
                + "a urn: name, or a plain identifier of A-Z a-z 0-9 . _ -";
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
