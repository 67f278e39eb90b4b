package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Service Bus and Event Hubs REST: {@code <Error><Code>401</Code><Detail>ExpiredToken: The token is
 * expired. Expiration time: '2018-11-04 05:05:25Z'. TrackingId:..</Detail></Error>}. The numeric code is the
 * status; the detail's leading word is the real code. A SAS lacking a right is answered 401 too ("Unauthorized
 * access. 'Send' claim(s) are required to perform this operation"): that is a denial, not a credential problem.
 */
final class ServiceBusFormat implements Recognizer {
    private static final Pattern ERROR = Pattern.compile(
            "<Error>\\s*<Code>\\s*(\\d{3})\\s*</Code>\\s*<Detail>([^<]{0,2000})</Detail>");
    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([A-Z][A-Za-z]+):");
    private static final Pattern CLAIMS_REQUIRED = Pattern.compile("(?i)claim\\(?s?\\)? (are |is )?required");

    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        Matcher m = ERROR.matcher(r.body());
        if (!m.find()) {
            return null;
        }
        String detail = m.group(2).strip();
        Matcher lead = LEADING_CODE.matcher(detail);
        String code = lead.find() ? lead.group(1) : null;
        if (CLAIMS_REQUIRED.matcher(detail).find()) {
            return AuthFailure.builder(Kind.DENIED, Format.AZURE).code(code).message(detail);
        }
        if ("ExpiredToken".equals(code)) {
            return AuthFailure.builder(Kind.EXPIRED, Format.AZURE).code(code).message(detail)
                    .expiredAt(StatedExpiry.in(detail).orElse(r.sentExpiry()));
        }
        AuthFailure.Builder said = Wording.verdict(detail, Format.AZURE, code, detail, r);
        if (said != null) {
            return said;
        }
        switch (r.status()) {
            case 401:
                return CredentialRejected.byExpiryAlone(r, Format.AZURE, code, detail);
            case 403:
                return AuthFailure.builder(Kind.DENIED, Format.AZURE).code(code).message(detail);
            default:
                return null;
        }
    }
}
