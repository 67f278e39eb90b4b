package dev.mayfly.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudiencesTest {
    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com", "https://api.example.com/orders?v=2", "http://localhost:8080/x",
            "HTTPS://API.EXAMPLE.COM", "urn:example:orders", "urn:ietf:params:oauth:x", "orders-api", "orders.example.com",
            "svc_1"})
    void absoluteHttpOrUrnUrisAndPlainIdentifiersAreAudiences(String audience) {
        assertThat(Audiences.isValid(audience)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
            "vbscript:x", "ftp://files.example.com", "https://", "https:///path", "//api.example.com", "urn:", "urn:x",
            "urn:x:", "https://user:pw@api.example.com", "https://api.example.com/#frag", "api.example.com/path",
            "-api", "https://api.example.com\u0000", "api\u0000", "orders\napi", "orders api", "\u00e9api", "a\u007f"})
    void anythingElseIsNot(String audience) {
        assertThat(Audiences.isValid(audience)).as(audience).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aVeryLongAudienceIsNot() {
        assertThat(Audiences.isValid("a".repeat(Audiences.MAX_LENGTH))).isTrue();
        assertThat(Audiences.isValid("a".repeat(Audiences.MAX_LENGTH + 1))).isFalse();
    }
}
