package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Storage (Blob, Queue, Table, File): XML {@code <Error><Code>..</Code><Message>..</Message>
 * <AuthenticationErrorDetail>..</AuthenticationErrorDetail></Error>}, the code also in {@code x-ms-error-code}.
 * The code says little ({@code AuthenticationFailed} is any SAS, shared-key or token failure); the detail
 * says why: a SAS outside its time frame ({@link ValidityWindow}), "Lifetime validation failed. The token is
 * expired." for a bearer token, a malformed SAS ("Signed expiry time [..] must be after signed start time").
 * Without a detail that names a cause, an authentication failure is the credential's fault ({@code INVALID}),
 * unless the token is known to be past its {@code exp}.
 */
final class AzureStorageFormat implements Recognizer {
    private static final Pattern CODE = Pattern.compile("<Code>\\s*([A-Za-z]+)\\s*</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]{0,2000})</Message>");
    private static final Pattern DETAIL = Pattern.compile("<AuthenticationErrorDetail>([^<]{0,2000})</AuthenticationErrorDetail>");

    private static final Map<String, Kind> CODES = Map.ofEntries(
            Map.entry("AuthenticationFailed", Kind.INVALID),
            Map.entry("InvalidAuthenticationInfo", Kind.INVALID),
            Map.entry("NoAuthenticationInformation", Kind.MISSING),
            Map.entry("AuthorizationFailure", Kind.DENIED),
            Map.entry("AuthorizationPermissionMismatch", Kind.DENIED),
            Map.entry("AuthorizationResourceTypeMismatch", Kind.DENIED),
            Map.entry("AuthorizationServiceMismatch", Kind.DENIED),
            Map.entry("AuthorizationProtocolMismatch", Kind.DENIED),
            Map.entry("AuthorizationSourceIPMismatch", Kind.DENIED),
            Map.entry("InsufficientAccountPermissions", Kind.DENIED),
            Map.entry("ServerBusy", Kind.UNAVAILABLE),
            Map.entry("OperationTimedOut", Kind.UNAVAILABLE));

    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        String body = r.body();
        boolean xmlError = body.contains("<Error>") && body.contains("<Code>");
        String code = r.header("x-ms-error-code");
        if (code == null && xmlError && (body.contains("<AuthenticationErrorDetail>") || r.header("x-ms-request-id") != null)) {
            Matcher m = CODE.matcher(body);
            code = m.find() ? m.group(1) : null;
        }
        Kind kind = code == null ? null : CODES.get(code.strip());
        if (kind == null) {
            return null;
        }
        code = code.strip();
        String detail = xmlError ? group(DETAIL, body) : null;
        String message = detail != null ? detail.strip()
                : xmlError ? group(MESSAGE, body) : r.bodyMessages().stream().findFirst().orElse(null);
        if (kind != Kind.INVALID) {
            return AuthFailure.builder(kind, Format.AZURE).code(code).message(message);
        }
        ValidityWindow window = ValidityWindow.in(detail);
        AuthFailure.Builder b = window == null ? null : window.verdict(code, message);
        if (b == null) {
            b = Wording.verdict(detail != null ? detail : message, Format.AZURE, code, message, r);
        }
        if (b != null) {
            return b;
        }
        if (r.sentTokenExpired()) {
            return CredentialRejected.byExpiryAlone(r, Format.AZURE, code, message);
        }
        return AuthFailure.builder(Kind.INVALID, Format.AZURE).code(code).message(message)
                .recovery(Recovery.REPLACE_CREDENTIAL);
    }

    private static String group(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
