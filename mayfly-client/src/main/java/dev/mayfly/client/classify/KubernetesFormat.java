package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import java.time.Duration;

/**
 * The Kubernetes API server's {@code Status} object ({@code {"kind":"Status","status":"Failure",
 * "reason":"Unauthorized","code":401}}). Authentication failures never say why (expired, revoked and
 * unknown service-account tokens are all {@code Unauthorized}), so the token's {@code exp} decides;
 * {@code Forbidden} is RBAC saying no. {@code Expired} (410) is about a watch's resource version, not a
 * credential, and is left alone.
 */
final class KubernetesFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        if (json == null || !"Status".equals(ResponseView.text(json, "kind")) || !json.has("apiVersion")) {
            return null;
        }
        String reason = ResponseView.text(json, "reason");
        String message = ResponseView.text(json, "message");
        if (reason == null) {
            return null;
        }
        switch (reason) {
            case "Unauthorized":
                return CredentialRejected.byExpiry(r, Format.KUBERNETES, reason, message);
            case "Forbidden":
                return AuthFailure.builder(Kind.DENIED, Format.KUBERNETES).code(reason).message(message);
            case "TooManyRequests": {
                AuthFailure.Builder b = AuthFailure.builder(Kind.RATE_LIMITED, Format.KUBERNETES).code(reason).message(message);
                JsonNode after = json.path("details").path("retryAfterSeconds");
                return after.canConvertToLong() ? b.retryAfter(Duration.ofSeconds(after.asLong())) : b;
            }
            case "ServiceUnavailable":
            case "Timeout":
                return AuthFailure.builder(Kind.UNAVAILABLE, Format.KUBERNETES).code(reason).message(message);
            case "Expired":
            case "Gone":
                return AuthFailure.builder(Kind.UNKNOWN, Format.KUBERNETES).code(reason).message(message);
            default:
                return null;
        }
    }
}
