package dev.mayfly.core.error;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One failure, described for machines: a catalog {@link ErrorCode}, a human message, and the fields an
 * agent needs to recover (DESIGN §3.1, §3.2). Immutable and thread-safe; build with {@link #of} or
 * {@link #builder}.
 *
 * <p>Messages must never contain a secret: callers pass what happened, not what was presented.
 */
public final class MayflyError {
    private final ErrorCode code;
    private final String message;
    private final Instant expiredAt;
    private final String reauthCommand;
    private final String requiredScope;
    private final List<String> missingScopes;
    private final Long retryAfterMs;
    private final Map<String, Object> details;

    private MayflyError(Builder b) {
        this.code = Objects.requireNonNull(b.code, "code");
        this.message = Objects.requireNonNull(b.message, "message");
        this.expiredAt = b.expiredAt == null ? null : b.expiredAt.truncatedTo(ChronoUnit.SECONDS);
        this.reauthCommand = b.reauthCommand;
        this.requiredScope = b.requiredScope;
        this.missingScopes = b.missingScopes == null ? null : List.copyOf(b.missingScopes);
        this.retryAfterMs = b.retryAfterMs;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
    }

    public static MayflyError of(ErrorCode code, String message) {
        return builder(code, message).build();
    }

    public static Builder builder(ErrorCode code, String message) {
        return new Builder(code, message);
    }

    public Builder toBuilder() {
        Builder b = new Builder(code, message);
        b.expiredAt = expiredAt;
        b.reauthCommand = reauthCommand;
        b.requiredScope = requiredScope;
        b.missingScopes = missingScopes;
        b.retryAfterMs = retryAfterMs;
        b.details.putAll(details);
        return b;
    }

    /** The same error with another message (e.g. the message with any secret it quoted masked). */
    public MayflyError withMessage(String newMessage) {
        Builder b = toBuilder();
        Builder out = new Builder(code, newMessage);
        out.expiredAt = b.expiredAt;
        out.reauthCommand = b.reauthCommand;
        out.requiredScope = b.requiredScope;
        out.missingScopes = b.missingScopes;
        out.retryAfterMs = b.retryAfterMs;
        out.details.putAll(b.details);
        return out.build();
    }

    public ErrorCode code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** When the authentic token expired; set only for {@link ErrorCode#CREDENTIALS_EXPIRED}. */
    public Instant expiredAt() {
        return expiredAt;
    }

    /** The command that actually recovers, or {@code null} when none can. */
    public String reauthCommand() {
        return reauthCommand;
    }

    public String requiredScope() {
        return requiredScope;
    }

    public List<String> missingScopes() {
        return missingScopes;
    }

    public Long retryAfterMs() {
        return retryAfterMs;
    }

    public Map<String, Object> details() {
        return details;
    }

    public boolean retryable() {
        return code.retryable();
    }

    /**
     * The wire form, keys in a stable order. Auth errors always carry {@code reauth_command} (possibly
     * {@code null}) and {@code reauth_env_var}; an expiry also carries {@code expired} and {@code expired_at}.
     */
    @JsonValue
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code.name());
        m.put("message", message);
        if (code == ErrorCode.CREDENTIALS_EXPIRED) {
            m.put("expired", true);
            m.put("expired_at", expiredAt == null ? null : expiredAt.toString());
        }
        m.put("retryable", code.retryable());
        if (code.isAuth()) {
            m.put("reauth_command", reauthCommand);
            m.put("reauth_env_var", ErrorCode.REAUTH_ENV_VAR);
        }
        if (requiredScope != null) {
            m.put("required_scope", requiredScope);
        }
        if (missingScopes != null) {
            m.put("missing_scopes", missingScopes);
        }
        if (retryAfterMs != null) {
            m.put("retry_after_ms", retryAfterMs);
        }
        // Details add fields; they never replace a core key, even one whose value is null.
        details.forEach((k, v) -> {
            if (!m.containsKey(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MayflyError && ((MayflyError) o).toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }

    /** Builder for {@link MayflyError}; not thread-safe. */
    public static final class Builder {
        private final ErrorCode code;
        private final String message;
        private Instant expiredAt;
        private String reauthCommand;
        private String requiredScope;
        private List<String> missingScopes;
        private Long retryAfterMs;
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(ErrorCode code, String message) {
            this.code = code;
            this.message = message;
        }

        public Builder expiredAt(Instant expiredAt) {
            this.expiredAt = expiredAt;
            return this;
        }

        public Builder reauthCommand(String reauthCommand) {
            this.reauthCommand = reauthCommand;
            return this;
        }

        public Builder requiredScope(String requiredScope) {
            this.requiredScope = requiredScope;
            return this;
        }

        public Builder missingScopes(List<String> missingScopes) {
            this.missingScopes = missingScopes;
            return this;
        }

        public Builder retryAfterMs(long retryAfterMs) {
            this.retryAfterMs = retryAfterMs;
            return this;
        }

        /** An extra field on the wire (snake_case key, JSON-serialisable value). Never a secret. */
        public Builder detail(String key, Object value) {
            details.put(key, value);
            return this;
        }

        public MayflyError build() {
            return new MayflyError(this);
        }
    }
}
