package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;

/**
 * Azure Cosmos DB: a top-level {@code {"code":"Unauthorized","message":"...\r\nActivityId: ..."}} with an
 * {@code x-ms-activity-id} header. A token outside its window is answered 403 with the window and the server's
 * time in the message ({@link ValidityWindow}). Any other 401 is the key or the signed payload being wrong
 * ("The input authorization token can't serve the request"), unless the words say missing or expired.
 */
final class CosmosFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        String code = ResponseView.text(json, "code");
        String message = ResponseView.text(json, "message");
        if (code == null || message == null || json.get("code").isNumber()
                || (r.header("x-ms-activity-id") == null && !message.contains("ActivityId:"))) {
            return null;
        }
        String firstLine = message.split("\\r?\\n", 2)[0];
        ValidityWindow window = ValidityWindow.in(message);
        AuthFailure.Builder b = window == null ? null : window.verdict(code, firstLine);
        if (b != null) {
            return b;
        }
        switch (code) {
            case "Unauthorized": {
                AuthFailure.Builder said = Wording.verdict(firstLine, Format.AZURE, code, firstLine, r);
                return said != null ? said : AuthFailure.builder(Kind.INVALID, Format.AZURE).code(code)
                        .message(firstLine).recovery(Recovery.REPLACE_CREDENTIAL);
            }
            case "Forbidden": {
                AuthFailure.Builder said = Wording.verdict(firstLine, Format.AZURE, code, firstLine, r);
                return said != null && said.kind() != Kind.INVALID ? said
                        : AuthFailure.builder(Kind.DENIED, Format.AZURE).code(code).message(firstLine);
            }
            case "TooManyRequests":
            case "429":
                return AuthFailure.builder(Kind.RATE_LIMITED, Format.AZURE).code(code).message(firstLine);
            default:
                return null;
        }
    }
}
