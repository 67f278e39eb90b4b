package dev.mayfly.server.audit;

import java.time.Instant;

/** Filters for {@link AuditLog#query}: every non-null field must match; cursor-paginated by sequence. */
public record AuditQuery(String agentId, String sessionId, String taskId, String jti, String event, Instant since,
                         Instant until, long afterSeq, int limit) {
}
