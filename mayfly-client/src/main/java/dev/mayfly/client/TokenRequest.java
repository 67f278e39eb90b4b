package dev.mayfly.client;

import dev.mayfly.core.token.Scopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which token a caller wants from a {@link TokenSource}: the session token ({@link #session()}), or a task
 * token for an audience (RFC 8707 resource), a set of scopes and a task id, obtained by token exchange
 * (RFC 8693). The source keeps one token per distinct (audiences, scopes, task); {@link #ttl()} is a wish
 * passed to the broker with the first request and is not part of that key. Immutable.
 *
 * <pre>{@code
 * TokenRequest orders = TokenRequest.builder()
 *         .audience("https://orders.example")
 *         .scopes("orders:read")
 *         .task("task-42")
 *         .build();
 * }</pre>
 */
public final class TokenRequest {
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final TokenRequest SESSION = new TokenRequest(true, List.of(), Set.of(), null, null);

    private final boolean session;
    private final List<String> audiences;
    private final Set<String> scopes;
    private final String taskId;
    private final Duration ttl;

    private TokenRequest(boolean session, List<String> audiences, Set<String> scopes, String taskId, Duration ttl) {
        this.session = session;
        this.audiences = audiences;
        this.scopes = scopes;
        this.taskId = taskId;
        this.ttl = ttl;
    }

    /** The session's own access token (from {@code client_credentials}, kept fresh by refresh). */
    public static TokenRequest session() {
        return SESSION;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isSession() {
        return session;
    }

    /** The audiences ({@code audience}/{@code resource}); empty means the broker itself. Sorted. */
    public List<String> audiences() {
        return audiences;
    }

    /** The scopes to narrow to; empty means all of the session's. Sorted. */
    public Set<String> scopes() {
        return scopes;
    }

    /** The task id; empty means the broker generates one per token. */
    public Optional<String> taskId() {
        return Optional.ofNullable(taskId);
    }

    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TokenRequest)) {
            return false;
        }
        TokenRequest t = (TokenRequest) o;
        return session == t.session && audiences.equals(t.audiences) && scopes.equals(t.scopes)
                && Objects.equals(taskId, t.taskId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(session, audiences, scopes, taskId);
    }

    @Override
    public String toString() {
        if (session) {
            return "TokenRequest[session]";
        }
        return "TokenRequest[audiences=" + audiences + ", scopes=" + Scopes.join(scopes)
                + (taskId == null ? "" : ", task=" + taskId) + (ttl == null ? "" : ", ttl=" + ttl) + "]";
    }

    /** Builder for a task-token request; not thread-safe. */
    public static final class Builder {
        private final List<String> audiences = new ArrayList<>();
        private final Set<String> scopes = new TreeSet<>();
        private String taskId;
        private Duration ttl;

        private Builder() {
        }

        /** Adds audiences (RFC 8707 resource indicators); each must be among the agent's allowed audiences. */
        public Builder audience(String... audiences) {
            for (String a : audiences) {
                if (a == null || a.isBlank()) {
                    throw new IllegalArgumentException("audience must not be blank");
                }
                this.audiences.add(a);
            }
            return this;
        }

        /** Adds scopes; each a scope token as RFC 6749 §3.3 allows. */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(scopes));
        }

        public Builder scopes(Collection<String> scopes) {
            for (String s : scopes) {
                if (s == null || !Scopes.isValidScopeToken(s)) {
                    throw new IllegalArgumentException("not a valid scope token: " + s);
                }
                this.scopes.add(s);
            }
            return this;
        }

        /** The task id: 1–128 of {@code A-Za-z0-9._:-}. */
        public Builder task(String taskId) {
            if (taskId != null && !TASK_ID.matcher(taskId).matches()) {
                throw new IllegalArgumentException("task id must be 1-128 characters of A-Z a-z 0-9 . _ : -");
            }
            this.taskId = taskId;
            return this;
        }

        /** The lifetime to ask for (whole seconds); the broker caps it by policy and the session. */
        public Builder ttl(Duration ttl) {
            if (ttl != null && (ttl.isNegative() || ttl.getSeconds() < 1)) {
                throw new IllegalArgumentException("ttl must be at least one second");
            }
            this.ttl = ttl;
            return this;
        }

        public TokenRequest build() {
            List<String> sorted = new ArrayList<>(new TreeSet<>(audiences));
            return new TokenRequest(false, Collections.unmodifiableList(sorted),
                    Collections.unmodifiableSet(new TreeSet<>(scopes)), taskId, ttl);
        }
    }
}
