package dev.mayfly.server.oauth;

import dev.mayfly.server.http.HttpExchange;
import java.util.Map;

/** One OAuth grant type at the token endpoint: validates the request and returns the token response body. */
interface Grant {
    String type();

    Map<String, Object> grant(HttpExchange ex, FormParams form);
}
