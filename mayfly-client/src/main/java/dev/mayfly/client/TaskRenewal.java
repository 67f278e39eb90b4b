package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gets a task token by exchanging the session token (RFC 8693 §2.1). When the broker rejects the subject
 * token itself (expired, invalid, or revoked with a recovery), the session token is dropped so the session
 * renews, and the exchange is retried; twice in a row means something else is wrong and ends it. A revoked
 * task, a disabled agent, a scope or audience the agent may not have: permanent. In a fail-fast source the
 * session is renewed and the exchange retried at once, within the same attempt, and failures carry what the
 * broker sent. A session that cannot be renewed (its renewal gives back the token just rejected) ends it with
 * the broker's rejection as sent, rather than a {@code CREDENTIALS_MISSING} of the session's own.
 */
final class TaskRenewal implements TokenSlot.Renewal {
    private static final int MAX_SUBJECT_REJECTIONS = 2;

    private final TokenEndpoint endpoint;
    private final TokenSlot session;
    private final SourceContext ctx;
    private final AtomicInteger subjectRejections = new AtomicInteger(); // one renewal at a time, maybe on different threads
    /** The session token the broker last rejected as the subject, and its answer; cleared by a successful exchange. */
    private volatile AccessToken rejectedSubject;
    private volatile BrokerRejected rejection;

    TaskRenewal(TokenEndpoint endpoint, TokenSlot session, SourceContext ctx) {
        this.endpoint = endpoint;
        this.session = session;
        this.ctx = ctx;
    }

    @Override
    public AccessToken renew(TokenSlot slot) throws RenewalException {
        AccessToken subject;
        try {
            subject = session.get();
        } catch (AuthFailureException e) {
            if (e.failure().retryable() && e.failure().kind() != Kind.EXPIRED) {
                throw RenewalException.retryable("session token: " + e.getMessage(), e.failure().retryAfter().orElse(null),
                        null, e.error());
            }
            throw RenewalException.permanent(e.failure(), e.error());
        } catch (MayflyException e) {
            if (e.code().retryable() || e.code() == ErrorCode.TIMEOUT) {
                Long ms = e.error().retryAfterMs();
                throw RenewalException.retryable("session token: " + e.getMessage(), ms == null ? null : Duration.ofMillis(ms),
                        null, e.error());
            }
            throw RenewalException.permanent(e.error());
        }
        if (subject == null) {
            throw RenewalException.retryable("no session token yet", null, null);
        }
        BrokerRejected standing = rejection;
        AccessToken rejectedBefore = rejectedSubject;
        if (standing != null && rejectedBefore != null && subject.value().matches(rejectedBefore.value())) {
            // The session could not be renewed (no refresh token, no client credentials): the broker's answer stands.
            throw RenewalException.permanent(standing.failure(), standing.asSent());
        }
        try {
            TokenResponse r = endpoint.exchange(subject.value(), slot.request);
            subjectRejections.set(0);
            rejectedSubject = null;
            rejection = null;
            return AccessToken.issued(r, slot.request, ctx);
        } catch (BrokerUnreachable u) {
            throw RenewalException.retryable("exchange: " + u.getMessage(), u.retryAfter(), null,
                    endpoint.reported(u, ctx.tlsHint));
        } catch (BrokerRejected rejected) {
            AuthFailure f = rejected.failure();
            boolean subjectProblem = f.kind() == Kind.EXPIRED || f.kind() == Kind.INVALID
                    || (f.kind() == Kind.REVOKED && (f.recovery() == Recovery.REFRESH || f.recovery() == Recovery.LOG_IN));
            if (subjectProblem && subjectRejections.incrementAndGet() <= MAX_SUBJECT_REJECTIONS) {
                rejectedSubject = subject;
                rejection = rejected;
                session.invalidate(subject);
                if (ctx.failFast) {
                    return renew(slot); // one attempt for the caller: renew the session and exchange again now
                }
                throw RenewalException.retryable("the broker rejected the session token (" + f.kind() + "); renewing it",
                        null, null);
            }
            throw RenewalException.permanent(f, rejected.asSent());
        }
    }
}
