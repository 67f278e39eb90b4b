package dev.mayfly.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorCodeTest {

    /**
     * DESIGN §3.1, copied by hand (code | CLI exit | HTTP | retryable). Deliberately not derived from the
     * enum: if either side changes, this test must be updated consciously.
     */
    private static final String DESIGN_TABLE = """
            CREDENTIALS_EXPIRED | 10 | 401 | true
            CREDENTIALS_REVOKED | 11 | 401 | false
            CREDENTIALS_INVALID | 11 | 401 | false
            CREDENTIALS_MISSING | 4  | 401 | false
            PERMISSION_DENIED   | 8  | 403 | false
            RATE_LIMITED        | 9  | 429 | true
            UNAVAILABLE         | 12 | 503 | true
            TIMEOUT             | 7  | 504 | true
            USAGE               | 2  | 400 | false
            PRECONDITION        | 4  | 412 | false
            NOT_FOUND           | 5  | 404 | false
            CONFLICT            | 6  | 409 | false
            PARTIAL_FAILURE     | 3  | 500 | false
            INTERNAL            | 1  | 500 | false
            """;

    private static final Set<String> AUTH_CODES = Set.of(
            "CREDENTIALS_EXPIRED", "CREDENTIALS_REVOKED", "CREDENTIALS_INVALID", "CREDENTIALS_MISSING",
            "PERMISSION_DENIED");

    static Stream<Arguments> designTable() {
        return DESIGN_TABLE.lines().map(line -> {
            String[] cells = Arrays.stream(line.split("\\|")).map(String::trim).toArray(String[]::new);
            return Arguments.of(cells[0], Integer.parseInt(cells[1]), Integer.parseInt(cells[2]),
                    Boolean.parseBoolean(cells[3]));
        });
    }

    @ParameterizedTest(name = "{0}: exit {1}, HTTP {2}, retryable {3}")
    @MethodSource("designTable")
    void matchesTheDesignCatalog(String code, int exit, int http, boolean retryable) {
        ErrorCode c = ErrorCode.valueOf(code);
        assertThat(c.exitCode()).as("exit code").isEqualTo(exit);
        assertThat(c.httpStatus()).as("HTTP status").isEqualTo(http);
        assertThat(c.retryable()).as("retryable").isEqualTo(retryable);
    }

    @Test
    void catalogHasExactlyTheDesignCodesInTheDesignOrder() {
        String[] fromDesign = DESIGN_TABLE.lines().map(l -> l.split("\\|")[0].trim()).toArray(String[]::new);
        assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name)).containsExactly(fromDesign);
    }

    @Test
    void noCodeUsesExitZeroAndExitCodesStayInTheDocumentedRange() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(c.exitCode()).as(c.name()).isBetween(1, 12);
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void isAuthExactlyForTheFirstFiveRows(ErrorCode code) {
        assertThat(code.isAuth()).isEqualTo(AUTH_CODES.contains(code.name()));
    }

    @Test
    void authCodesAreExactlyTheOnesAnsweredWith401Or403() {
        Set<ErrorCode> byStatus = Arrays.stream(ErrorCode.values())
                .filter(c -> c.httpStatus() == 401 || c.httpStatus() == 403)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ErrorCode.class)));
        Set<ErrorCode> auth = Arrays.stream(ErrorCode.values()).filter(ErrorCode::isAuth)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ErrorCode.class)));
        assertThat(auth).isEqualTo(byStatus).hasSize(5);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"CREDENTIALS_EXPIRED", "CREDENTIALS_REVOKED", "CREDENTIALS_INVALID"})
    void rejectedCredentialsAreInvalidTokenPerRfc6750(ErrorCode code) {
        assertThat(code.httpStatus()).isEqualTo(401);
        assertThat(code.bearerError()).isEqualTo("invalid_token");
    }

    @Test
    void missingCredentialGetsAChallengeWithoutErrorCodePerRfc6750Section3_1() {
        assertThat(ErrorCode.CREDENTIALS_MISSING.httpStatus()).isEqualTo(401);
        assertThat(ErrorCode.CREDENTIALS_MISSING.bearerError()).isNull();
    }

    @Test
    void permissionDeniedIsInsufficientScope() {
        assertThat(ErrorCode.PERMISSION_DENIED.httpStatus()).isEqualTo(403);
        assertThat(ErrorCode.PERMISSION_DENIED.bearerError()).isEqualTo("insufficient_scope");
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void bearerErrorIsOneOfTheRfc6750ValuesAndMatchesTheStatus(ErrorCode code) {
        String e = code.bearerError();
        if (e == null) {
            return;
        }
        // RFC 6750 §3.1: invalid_request -> 400, invalid_token -> 401, insufficient_scope -> 403
        switch (e) {
            case "invalid_request" -> assertThat(code.httpStatus()).isEqualTo(400);
            case "invalid_token" -> assertThat(code.httpStatus()).isEqualTo(401);
            case "insufficient_scope" -> assertThat(code.httpStatus()).isEqualTo(403);
            default -> throw new AssertionError(code + " has a bearer error outside RFC 6750: " + e);
        }
    }

    @Test
    void reauthEnvVarIsMayflyToken() {
        assertThat(ErrorCode.REAUTH_ENV_VAR).isEqualTo("MAYFLY_TOKEN");
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasAMeaning(ErrorCode code) {
        assertThat(code.meaning()).isNotBlank();
    }
}
