package dev.mayfly.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BearerChallengeTest {
    @Test
    void missingCredentialsGetAChallengeWithoutAnError() {
        assertThat(BearerChallenge.render(MayflyError.of(ErrorCode.CREDENTIALS_MISSING, "No access token was presented.")))
                .isEqualTo("Bearer realm=\"mayfly\"");
    }

    @Test
    void expired() {
        MayflyError e = MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED, "Access token expired at 2026-11-22T14:15:00Z.")
                .expiredAt(Instant.parse("2026-11-22T14:15:00Z")).build();
        assertThat(BearerChallenge.render(e))
                .isEqualTo("Bearer realm=\"mayfly\", error=\"invalid_token\", error_description=\"token expired\"");
    }

    @Test
    void revoked() {
        assertThat(BearerChallenge.render(MayflyError.of(ErrorCode.CREDENTIALS_REVOKED, "Access token was revoked (agent).")))
                .isEqualTo("Bearer realm=\"mayfly\", error=\"invalid_token\", error_description=\"token revoked\"");
    }

    @Test
    void invalidNeverEchoesTheMessage() {
        MayflyError e = MayflyError.of(ErrorCode.CREDENTIALS_INVALID, "Access token is signed with an unknown signing key.");
        assertThat(BearerChallenge.render(e))
                .isEqualTo("Bearer realm=\"mayfly\", error=\"invalid_token\", error_description=\"token invalid\"");
    }

    @Test
    void insufficientScopeNamesTheRequiredScopes() {
        MayflyError e = MayflyError.builder(ErrorCode.PERMISSION_DENIED, "Access token lacks required scope: orders:delete.")
                .requiredScope("orders:read orders:delete").missingScopes(List.of("orders:delete")).build();
        assertThat(BearerChallenge.render(e)).isEqualTo("Bearer realm=\"mayfly\", error=\"insufficient_scope\", "
                + "error_description=\"insufficient scope\", scope=\"orders:read orders:delete\"");
    }

    @Test
    void permissionDeniedWithoutAScopeOmitsTheAttribute() {
        assertThat(BearerChallenge.render(MayflyError.of(ErrorCode.PERMISSION_DENIED, "Tier too high.")))
                .isEqualTo("Bearer realm=\"mayfly\", error=\"insufficient_scope\", error_description=\"insufficient scope\"");
    }

    @Test
    void valuesAreQuotedAndStrippedOfAnythingThatCouldBreakTheHeader() {
        MayflyError e = MayflyError.builder(ErrorCode.PERMISSION_DENIED, "x")
                .requiredScope("a\"b c\\d\r\nSet-Cookie: x=1 é").build();
        String challenge = BearerChallenge.render(e, "my \"realm\"");

        assertThat(challenge).isEqualTo("Bearer realm=\"my \\\"realm\\\"\", error=\"insufficient_scope\", "
                + "error_description=\"insufficient scope\", scope=\"a\\\"b c\\\\dSet-Cookie: x=1 \"");
        assertThat(challenge).doesNotContain("\r").doesNotContain("\n");
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"RATE_LIMITED", "UNAVAILABLE", "TIMEOUT", "USAGE", "PRECONDITION",
            "NOT_FOUND", "CONFLICT", "PARTIAL_FAILURE", "INTERNAL"})
    void nonAuthErrorsHaveNoChallenge(ErrorCode code) {
        assertThat(BearerChallenge.render(MayflyError.of(code, "x"))).isNull();
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyAuthCodeHasAChallengeAndOnlyThose(ErrorCode code) {
        assertThat(BearerChallenge.render(MayflyError.of(code, "x")) != null).isEqualTo(code.isAuth());
    }
}
