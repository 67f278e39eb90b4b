package dev.mayfly.core.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mayfly.core.error.MayflyError;
import java.util.List;
import java.util.Objects;

/**
 * The envelope of DESIGN §3.2, for CLI stdout and every {@code /v1} response. All five keys are always
 * present; {@code ok} is true exactly when there is no error. {@code data} is usually {@code null} on failure,
 * but a failure that is itself an answer (a scan that found secrets) can carry what it found. Immutable.
 */
@JsonPropertyOrder({"ok", "data", "error", "warnings", "meta"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public final class Envelope {
    public static final String SCHEMA_VERSION = "1";

    private final Object data;
    private final MayflyError error;
    private final List<String> warnings;
    private final Meta meta;

    private Envelope(Object data, MayflyError error, List<String> warnings, Meta meta) {
        this.data = data;
        this.error = error;
        this.warnings = List.copyOf(warnings);
        this.meta = Objects.requireNonNull(meta, "meta");
    }

    public static Envelope success(Object data, List<String> warnings, Meta meta) {
        return new Envelope(data, null, warnings, meta);
    }

    public static Envelope success(Object data, Meta meta) {
        return success(data, List.of(), meta);
    }

    public static Envelope failure(MayflyError error, List<String> warnings, Meta meta) {
        return new Envelope(null, Objects.requireNonNull(error, "error"), warnings, meta);
    }

    /**
     * A failure that still has a result to show, e.g. {@code mayfly scan} finding secrets or
     * {@code mayfly doctor} with a failed check: the error says
     * why the exit code is not 0, {@code data} carries the report. {@code ok} stays false.
     */
    public static Envelope failure(MayflyError error, Object data, List<String> warnings, Meta meta) {
        return new Envelope(data, Objects.requireNonNull(error, "error"), warnings, meta);
    }

    public static Envelope failure(MayflyError error, Meta meta) {
        return failure(error, List.of(), meta);
    }

    @JsonProperty("ok")
    public boolean ok() {
        return error == null;
    }

    @JsonProperty("data")
    public Object data() {
        return data;
    }

    @JsonProperty("error")
    public MayflyError error() {
        return error;
    }

    @JsonProperty("warnings")
    public List<String> warnings() {
        return warnings;
    }

    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    /** The process exit code this envelope stands for: 0 when ok, else the error's catalog exit code. */
    public int exitCode() {
        return error == null ? 0 : error.code().exitCode();
    }

    /** Request metadata carried by every envelope. */
    @JsonPropertyOrder({"duration_ms", "request_id", "schema_version"})
    public static final class Meta {
        private final long durationMs;
        private final String requestId;

        public Meta(long durationMs, String requestId) {
            this.durationMs = durationMs;
            this.requestId = requestId;
        }

        @JsonProperty("duration_ms")
        public long durationMs() {
            return durationMs;
        }

        @JsonProperty("request_id")
        public String requestId() {
            return requestId;
        }

        @JsonProperty("schema_version")
        public String schemaVersion() {
            return SCHEMA_VERSION;
        }
    }
}
