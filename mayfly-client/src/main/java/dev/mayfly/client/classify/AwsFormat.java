package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS error codes, from any of the protocols AWS services answer in: the {@code x-amzn-ErrorType} header,
 * JSON {@code __type} ({@code "namespace#Code"}) or {@code code}/{@code Code} with an AWS request id, and
 * XML {@code <Error><Code>} (Query protocol, S3, EC2's {@code <Errors>}). The HTTP status varies by
 * service (S3 answers {@code ExpiredToken} with 400, SQS with 403), so the code decides, never the status.
 *
 * <p>{@code ExpiredToken}, {@code ExpiredTokenException} and S3's {@code TokenRefreshRequired} are expiry.
 * {@code RequestExpired} and {@code RequestTimeTooSkewed} are about the request's timestamp, not the
 * credential: clock skew, which a refresh does not fix. {@code AccessDenied} is a denial (a session revoked
 * through an {@code aws:TokenIssueTime} policy also looks like this; AWS gives no way to tell).
 *
 * <p>Three answers carry more than their code. S3's {@code AccessDenied} "Request has expired" with an
 * {@code <Expires>} element is a presigned URL past its expiry: {@code EXPIRED} at that instant (a new URL is
 * the fix), and "Request is not yet valid" is the signer's clock. GCS answers S3-style XML too, its
 * {@code ExpiredToken} stating the time in {@code <Details>}. A SigV4 "Signature expired" / "Signature not yet
 * current" is the request's timestamp, so {@code FIX_CLOCK}. API Gateway's {@code UnauthorizedException}
 * (REST API authorizers' {@code {"message":"Unauthorized"}}) says nothing unless its message does ("The
 * incoming token has expired"), so the words and then the token's {@code exp} decide. Azure Storage's XML
 * looks like S3's; responses with {@code x-ms-} request headers are left to the Azure formats.
 */
final class AwsFormat implements Recognizer {
    private static final Pattern XML_CODE = Pattern.compile("<Code>\\s*([A-Za-z0-9._]+)\\s*</Code>");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]{0,1000})</Message>");
    private static final Pattern XML_EXPIRES = Pattern.compile("<Expires>\\s*([0-9T:.Z+-]{10,40})\\s*</Expires>");
    private static final Pattern XML_DETAILS = Pattern.compile("<Details>([^<]{0,1000})</Details>");
    private static final Pattern REQUEST_TIMESTAMP = Pattern.compile("(?i)^\\s*signature (expired|not yet current)");

    private static final Map<String, Kind> CODES = Map.ofEntries(
            Map.entry("ExpiredToken", Kind.EXPIRED),
            Map.entry("ExpiredTokenException", Kind.EXPIRED),
            Map.entry("TokenRefreshRequired", Kind.EXPIRED),
            Map.entry("RequestExpired", Kind.INVALID),
            Map.entry("RequestTimeTooSkewed", Kind.INVALID),
            Map.entry("InvalidClientTokenId", Kind.INVALID),
            Map.entry("UnrecognizedClientException", Kind.INVALID),
            Map.entry("InvalidAccessKeyId", Kind.INVALID),
            Map.entry("InvalidToken", Kind.INVALID),
            Map.entry("SignatureDoesNotMatch", Kind.INVALID),
            Map.entry("InvalidSignatureException", Kind.INVALID),
            Map.entry("IncompleteSignature", Kind.INVALID),
            Map.entry("AuthFailure", Kind.INVALID),
            Map.entry("NotAuthorizedException", Kind.INVALID),
            Map.entry("UnauthorizedException", Kind.UNKNOWN),
            Map.entry("MissingAuthenticationToken", Kind.MISSING),
            Map.entry("MissingAuthenticationTokenException", Kind.MISSING),
            Map.entry("MissingSecurityHeader", Kind.MISSING),
            Map.entry("AccessDenied", Kind.DENIED),
            Map.entry("AccessDeniedException", Kind.DENIED),
            Map.entry("ForbiddenException", Kind.DENIED),
            Map.entry("UnauthorizedOperation", Kind.DENIED),
            Map.entry("AuthorizationErrorException", Kind.DENIED),
            Map.entry("AllAccessDisabled", Kind.DENIED),
            Map.entry("Throttling", Kind.RATE_LIMITED),
            Map.entry("ThrottlingException", Kind.RATE_LIMITED),
            Map.entry("ThrottledException", Kind.RATE_LIMITED),
            Map.entry("RequestLimitExceeded", Kind.RATE_LIMITED),
            Map.entry("RequestThrottled", Kind.RATE_LIMITED),
            Map.entry("RequestThrottledException", Kind.RATE_LIMITED),
            Map.entry("TooManyRequestsException", Kind.RATE_LIMITED),
            Map.entry("SlowDown", Kind.RATE_LIMITED),
            Map.entry("ProvisionedThroughputExceededException", Kind.RATE_LIMITED),
            Map.entry("ServiceUnavailable", Kind.UNAVAILABLE),
            Map.entry("ServiceUnavailableException", Kind.UNAVAILABLE),
            Map.entry("InternalFailure", Kind.UNAVAILABLE),
            Map.entry("InternalError", Kind.UNAVAILABLE));

    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        if (r.header("x-ms-request-id") != null || r.header("x-ms-error-code") != null) {
            return null;
        }
        String code = null;
        String message = null;
        String typeHeader = r.header("x-amzn-ErrorType");
        if (typeHeader != null) {
            code = stripNamespace(typeHeader.split(":", 2)[0]);
        }
        JsonNode json = r.json();
        if (json != null) {
            String type = ResponseView.text(json, "__type");
            if (code == null && type != null) {
                code = stripNamespace(type);
            }
            if (code == null && amazonRequestId(r)) {
                code = ResponseView.firstNonBlank(ResponseView.text(json, "code"), ResponseView.text(json, "Code")).orElse(null);
            }
            message = ResponseView.firstNonBlank(ResponseView.text(json, "message"), ResponseView.text(json, "Message")).orElse(null);
        } else if (r.body().contains("<Code>") && (r.body().contains("<Error>") || r.body().contains("<Errors>"))) {
            Matcher m = XML_CODE.matcher(r.body());
            if (m.find()) {
                code = m.group(1);
            }
            Matcher mm = XML_MESSAGE.matcher(r.body());
            if (mm.find()) {
                message = mm.group(1);
            }
        }
        Kind kind = code == null ? null : CODES.get(code);
        if (kind == null) {
            return null;
        }
        AuthFailure.Builder b = AuthFailure.builder(kind, Format.AWS).code(code).message(message);
        if (code.equals("RequestExpired") || code.equals("RequestTimeTooSkewed")
                || (kind == Kind.INVALID && message != null && REQUEST_TIMESTAMP.matcher(message).find())) {
            return b.recovery(Recovery.FIX_CLOCK).retryable(false);
        }
        if (code.equals("AccessDenied") && json == null) {
            AuthFailure.Builder presigned = presignedUrl(r, message);
            if (presigned != null) {
                return presigned;
            }
        }
        if (code.equals("UnauthorizedException")) {
            return CredentialRejected.byExpiry(r, Format.AWS, code, message);
        }
        if (kind == Kind.EXPIRED) {
            Matcher details = XML_DETAILS.matcher(r.body());
            Instant stated = json == null && details.find() ? StatedExpiry.in(details.group(1)).orElse(null) : null;
            return b.expiredAt(stated != null ? stated : r.sentExpiry());
        }
        if (kind == Kind.INVALID && ResponseView.saysExpired(message)) {
            // e.g. Cognito's NotAuthorizedException "Access Token has expired"
            return b.kind(Kind.EXPIRED).expiredAt(r.sentExpiry());
        }
        return b;
    }

    /** S3's answer to a presigned URL used outside its window, or null when the denial is an ordinary one. */
    private static AuthFailure.Builder presignedUrl(ResponseView r, String message) {
        Wording.Meaning said = Wording.of(message);
        if (said == Wording.Meaning.NOT_YET_VALID) {
            return AuthFailure.builder(Kind.INVALID, Format.AWS).code("AccessDenied").message(message)
                    .recovery(Recovery.FIX_CLOCK).retryable(false);
        }
        Matcher expires = XML_EXPIRES.matcher(r.body());
        if (!ResponseView.contains(message, "request has expired") || !expires.find()) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(expires.group(1)).toInstant();
        } catch (DateTimeParseException e) {
            at = null;
        }
        return AuthFailure.builder(Kind.EXPIRED, Format.AWS).code("AccessDenied").message(message).expiredAt(at);
    }

    private static boolean amazonRequestId(ResponseView r) {
        return r.header("x-amzn-RequestId") != null || r.header("x-amz-request-id") != null;
    }

    private static String stripNamespace(String type) {
        String t = type.strip();
        int hash = t.lastIndexOf('#');
        return hash >= 0 ? t.substring(hash + 1) : t;
    }
}
