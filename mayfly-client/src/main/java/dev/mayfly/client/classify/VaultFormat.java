package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;

/**
 * HashiCorp Vault ({@code {"errors":["..."]}}). Vault answers 403 both for a token that is no longer valid
 * (expired, revoked, unknown) and for one that lacks a policy; since 2024 the first also says
 * {@code invalid token} (PR hashicorp/vault#25953, documented in "Tokens" §Error responses). So:
 * {@code invalid token} is a credential problem whose cause the token's {@code exp} settles (re-authenticate
 * either way); a plain {@code permission denied} is a denial, unless the token is known to be past its
 * {@code exp}, which is what older Vault versions answer for expiry as well.
 */
final class VaultFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        JsonNode errors = json == null ? null : json.get("errors");
        if (errors == null || !errors.isArray() || errors.size() == 0 || !errors.get(0).isTextual()) {
            return null;
        }
        StringBuilder all = new StringBuilder();
        errors.forEach(e -> all.append(e.asText()).append("; "));
        String text = all.toString();
        if (ResponseView.contains(text, "invalid token")) {
            AuthFailure.Builder b = CredentialRejected.byExpiry(r, Format.VAULT, "invalid token", text);
            if (b.kind() == Kind.EXPIRED) {
                return b.recovery(Recovery.LOG_IN);
            }
            return b.kind(Kind.INVALID).recovery(Recovery.LOG_IN);
        }
        if (ResponseView.contains(text, "permission denied")) {
            if (r.sentTokenExpired()) {
                return AuthFailure.builder(Kind.EXPIRED, Format.TOKEN_EXPIRY).code("permission denied").message(text)
                        .recovery(Recovery.LOG_IN).expiredAt(r.sentExpiry());
            }
            return AuthFailure.builder(Kind.DENIED, Format.VAULT).code("permission denied").message(text);
        }
        if (ResponseView.contains(text, "vault is sealed") || ResponseView.contains(text, "standby")) {
            return AuthFailure.builder(Kind.UNAVAILABLE, Format.VAULT).code("sealed").message(text);
        }
        return null;
    }
}
