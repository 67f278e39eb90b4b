package dev.mayfly.client.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code WWW-Authenticate} reader (RFC 9110 §11.6.1, §11.3): several challenges, quoting, token68. */
class ChallengeTest {
    @Test
    void readsSeveralChallengesInOneHeader() {
        List<Challenge> cs = Challenge.parse(List.of(
                "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\""));
        assertThat(cs).hasSize(2);
        assertThat(cs.get(0).scheme()).isEqualTo("newauth");
        assertThat(cs.get(0).params()).containsEntry("realm", "apps").containsEntry("type", "1")
                .containsEntry("title", "Login to \"apps\"");
        assertThat(cs.get(1).scheme()).isEqualTo("basic");
        assertThat(cs.get(1).param("realm")).isEqualTo("simple");
    }

    @Test
    void readsBearerParametersCaseInsensitively() {
        List<Challenge> cs = Challenge.parse(List.of("BEARER Realm=\"x\", ERROR=invalid_token, error_description=\"a, b\""));
        assertThat(cs).singleElement().satisfies(c -> {
            assertThat(c.scheme()).isEqualTo("bearer");
            assertThat(c.param("error")).isEqualTo("invalid_token");
            assertThat(c.param("error_description")).isEqualTo("a, b");
        });
    }

    @Test
    void skipsToken68Credentials() {
        List<Challenge> cs = Challenge.parse(List.of("Negotiate abc123==, Bearer error=\"invalid_token\"", "DPoP algs=\"ES256\""));
        assertThat(cs).extracting(Challenge::scheme).containsExactly("negotiate", "bearer", "dpop");
        assertThat(cs.get(1).param("error")).isEqualTo("invalid_token");
    }

    @Test
    void schemeWithoutParameters() {
        assertThat(Challenge.parse(List.of("Bearer"))).singleElement().satisfies(c -> assertThat(c.params()).isEmpty());
        assertThat(Challenge.parse(List.of("Bearer, Basic realm=\"r\""))).extracting(Challenge::scheme)
                .containsExactly("bearer", "basic");
    }

    @Test
    void readsSpaceSeparatedParametersAsServersSendThem() {
        // AWS API Gateway's HTTP API JWT authorizer (and Kong's oauth2 plugin) separate auth-params with spaces.
        List<Challenge> aws = Challenge.parse(List.of(
                "Bearer scope=\"\" error=\"invalid_token\" error_description=\"the token has expired\""));
        assertThat(aws).singleElement().satisfies(c -> {
            assertThat(c.param("scope")).isEmpty();
            assertThat(c.param("error")).isEqualTo("invalid_token");
            assertThat(c.param("error_description")).isEqualTo("the token has expired");
        });
        // A space followed by a scheme and its parameter still starts a new challenge.
        assertThat(Challenge.parse(List.of("Bearer realm=\"a\", Basic realm=\"b\""))).extracting(Challenge::scheme)
                .containsExactly("bearer", "basic");
    }

    @Test
    void readsUnquotedUrlValues() {
        // Azure Storage: unquoted URLs (':' is not a token character) separated by a space.
        List<Challenge> cs = Challenge.parse(List.of("Bearer authorization_uri=https://login.microsoftonline.com/"
                + "72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize resource_id=https://storage.azure.com"));
        assertThat(cs).singleElement().satisfies(c -> {
            assertThat(c.param("authorization_uri"))
                    .isEqualTo("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize");
            assertThat(c.param("resource_id")).isEqualTo("https://storage.azure.com");
        });
    }

    @Test
    void survivesGarbage() {
        assertThat(Challenge.parse(List.of("\"\"\",,,=;;", "", "Bearer error=\"unterminated"))).isNotNull();
    }
}
