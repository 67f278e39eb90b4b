package dev.mayfly.client;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.secret.Secret;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TokenSource} of a Mayfly broker: one {@link TokenSlot} for the session, one per distinct task
 * {@link TokenRequest}. A permanent failure of the session ends every task token with it; a task token
 * nobody asked for during its whole life is dropped rather than renewed forever. Thread-safe.
 */
final class BrokerTokenSource implements TokenSource, TokenSlot.Host {
    private static final System.Logger LOG = System.getLogger("dev.mayfly.client");

    private final SourceContext ctx;
    private final TokenEndpoint endpoint;
    private final SessionRenewal sessionRenewal;
    private final TokenSlot session;
    private final ConcurrentHashMap<TokenRequest, TokenSlot> tasks = new ConcurrentHashMap<>();
    private final boolean revokeOnClose;
    private final boolean ownsScheduler;

    BrokerTokenSource(SourceContext ctx, TokenEndpoint endpoint, SessionRenewal sessionRenewal, AccessToken adopted,
                      boolean revokeOnClose, boolean ownsScheduler) {
        this.ctx = ctx;
        this.endpoint = endpoint;
        this.sessionRenewal = sessionRenewal;
        this.session = new TokenSlot(TokenRequest.session(), sessionRenewal, ctx, this);
        this.revokeOnClose = revokeOnClose;
        this.ownsScheduler = ownsScheduler;
        if (adopted != null) {
            session.preload(adopted);
        }
    }

    @Override
    public AccessToken token(TokenRequest request) {
        if (ctx.closed()) {
            throw TokenSlot.closedException();
        }
        if (request.isSession()) {
            return session.get();
        }
        while (true) {
            TokenSlot slot = tasks.computeIfAbsent(request, r -> new TokenSlot(r, new TaskRenewal(endpoint, session, ctx), ctx, this));
            AccessToken t = slot.get();
            if (t != null) {
                return t;
            }
            tasks.remove(request, slot); // dropped as idle between lookup and use
        }
    }

    @Override
    public AccessToken refresh(AccessToken rejected) {
        if (ctx.closed()) {
            throw TokenSlot.closedException();
        }
        TokenRequest request = rejected.request();
        if (request == null || request.isSession()) {
            return session.refresh(rejected);
        }
        TokenSlot slot = tasks.get(request);
        return slot == null ? token(request) : slot.refresh(rejected);
    }

    @Override
    public void idle(TokenSlot slot) {
        tasks.remove(slot.request, slot);
    }

    @Override
    public void failedPermanently(TokenSlot slot, RenewalException failure) {
        if (slot == session) {
            for (TokenSlot t : tasks.values()) {
                t.fail(failure);
            }
        }
    }

    @Override
    public void close() {
        if (!ctx.close()) {
            return;
        }
        RenewalException closed = RenewalException.permanent(
                MayflyError.of(ErrorCode.PRECONDITION, "The token source is closed."));
        List<TokenSlot> all = new ArrayList<>(tasks.values());
        all.add(session);
        for (TokenSlot s : all) {
            s.fail(closed);
        }
        if (revokeOnClose) {
            Secret rt = sessionRenewal.refreshToken();
            if (rt != null && endpoint.revoke(rt)) {
                LOG.log(Level.INFO, "mayfly-client: session revoked on close");
            }
        }
        if (ownsScheduler) {
            ctx.scheduler.close();
        }
    }

    @Override
    public String toString() {
        return "TokenSource[" + endpoint + ", tasks=" + tasks.size() + (ctx.closed() ? ", closed" : "") + "]";
    }

    @Override
    public java.util.Optional<DpopKey> dpopKey() {
        return java.util.Optional.ofNullable(endpoint.dpopKey());
    }
}
