package dev.mayfly.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.PolicyException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    private static final MayflyError EXPIRED = MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED, "Access token expired.")
            .expiredAt(Instant.parse("2026-11-22T14:15:00Z"))
            .reauthCommand("mayfly auth refresh")
            .build();

    private static JsonProcessingException realJsonFailure() {
        Throwable t = catchThrowable(() -> Json.mapper().readTree("{\"scope\": "));
        assertThat(t).isInstanceOf(JsonProcessingException.class);
        return (JsonProcessingException) t;
    }

    @Test
    void mayflyExceptionPassesItsErrorThrough() {
        assertThat(ErrorMapper.toError(new MayflyException(EXPIRED), "req_1")).isSameAs(EXPIRED);
    }

    @Test
    void mayflyExceptionPassesThroughCompletionAndExecutionWrappers() {
        MayflyException ex = new MayflyException(EXPIRED);
        assertThat(ErrorMapper.toError(new CompletionException(ex))).isSameAs(EXPIRED);
        assertThat(ErrorMapper.toError(new ExecutionException(ex))).isSameAs(EXPIRED);
        assertThat(ErrorMapper.toError(new CompletionException(new ExecutionException(new CompletionException(ex)))))
                .isSameAs(EXPIRED);
    }

    @Test
    void failedFutureUnwrapsToTheOriginalError() {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            throw new MayflyException(ErrorCode.CONFLICT, "agent exists");
        }, Runnable::run);
        Throwable joinFailure = catchThrowable(f::join);
        Throwable getFailure = catchThrowable(f::get);
        assertThat(ErrorMapper.toError(joinFailure).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ErrorMapper.toError(getFailure).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ErrorMapper.toError(getFailure).message()).isEqualTo("agent exists");
    }

    @Test
    void policyExceptionStaysAPrecondition() {
        MayflyError e = ErrorMapper.toError(new PolicyException(List.of("tier high would live 6m")));
        assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION);
        assertThat(e.message()).contains("tier high would live 6m");
    }

    @Test
    void jsonProcessingExceptionIsUsage() {
        MayflyError e = ErrorMapper.toError(realJsonFailure(), "req_x");
        assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void jsonFailureWrappedAsUncheckedIoOrCompletionIsStillUsage() {
        JsonProcessingException j = realJsonFailure();
        assertThat(ErrorMapper.toError(new UncheckedIOException(j)).code()).isEqualTo(ErrorCode.USAGE);
        assertThat(ErrorMapper.toError(new CompletionException(new UncheckedIOException(j))).code())
                .isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void jsonUsageMessageDoesNotEchoTheInput() {
        String secret = "mfy_rt_" + "a".repeat(38);
        Throwable t = catchThrowable(() -> Json.mapper().readTree("{\"refresh_token\": \"" + secret + "\" x}"));
        MayflyError e = ErrorMapper.toError(t);
        assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(Json.write(e)).doesNotContain(secret);
    }

    @Test
    void timeoutsAreTimeout() {
        MayflyError e = ErrorMapper.toError(new TimeoutException("deadline"));
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.retryable()).isTrue();
        assertThat(ErrorMapper.toError(new HttpTimeoutException("slow")).code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(ErrorMapper.toError(new ExecutionException(new TimeoutException())).code()).isEqualTo(ErrorCode.TIMEOUT);
    }

    @Test
    void connectionRefusedIsUnavailableWithRetryAfter() {
        MayflyError e = ErrorMapper.toError(new ConnectException("Connection refused: 127.0.0.1:8470"));
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfterMs()).isNotNull().isPositive();
        assertThat(e.toMap()).containsKey("retry_after_ms");
        assertThat(e.message()).doesNotContain("127.0.0.1");
    }

    @Test
    void transientDatabaseFailureIsUnavailableWithRetryAfter() {
        MayflyError e = ErrorMapper.toError(new CompletionException(new SQLTransientConnectionException("SQLITE_BUSY")));
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.retryAfterMs()).isNotNull().isPositive();
    }

    @Test
    void unknownFailureIsInternalNamingTheRequestButNeverItsText() {
        String secret = "mfy_rt_4k9ZqLm2Xw8Yb7Tn1Vc6Rd3Pf5Gh0Js2Aa0000";
        RuntimeException boom = new IllegalStateException("could not rotate " + secret,
                new RuntimeException("nested " + secret));

        MayflyError e = ErrorMapper.toError(boom, "req_7Hq2Lm");

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.message()).contains("req_7Hq2Lm").doesNotContain(secret).doesNotContain("mfy_")
                .doesNotContain("could not rotate").doesNotContain("IllegalStateException");
        String json = Json.write(e);
        assertThat(json).doesNotContain(secret).doesNotContain("mfy_").doesNotContain("\tat ");
        assertThat(e.toMap().keySet()).containsExactly("code", "message", "retryable");
    }

    @Test
    void unknownFailureWrappedInCompletionIsStillRedacted() {
        String secret = "mfy_cs_" + "Z".repeat(38);
        MayflyError e = ErrorMapper.toError(new CompletionException(new NullPointerException(secret)), "req_abc");
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.message()).contains("req_abc").doesNotContain(secret);
    }

    @Test
    void internalWithoutRequestIdStillHasAMessage() {
        MayflyError e = ErrorMapper.toError(new RuntimeException("mfy_wh_secret"));
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.message()).isNotBlank().doesNotContain("mfy_").doesNotContain("null");
        assertThat(ErrorMapper.toError(new Error("oom")).code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void wrapperWithoutCauseIsInternal() {
        assertThat(ErrorMapper.toError(new CompletionException("mfy_rt_x", null), "req_1").code())
                .isEqualTo(ErrorCode.INTERNAL);
    }
}
