package dev.mayfly.server.webhook;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.http.ClientText;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook registrations and the outbox: events are queued in the transaction that produced them, one
 * delivery per interested webhook, and the {@link WebhookDispatcher} sends them.
 */
public final class Webhooks {
    public static final String REVOCATION_CREATED = "revocation.created";
    public static final Set<String> EVENT_TYPES = Set.of(REVOCATION_CREATED, "*");

    private final Database db;
    private final AuditLog audit;
    private final WebhookStore store;
    private final MasterKey masterKey;
    private final Clock clock;
    private final boolean plainHttpAllowed;

    /** @param plainHttpAllowed the broker runs with {@code --insecure}: {@code http} URLs are accepted too */
    public Webhooks(Database db, AuditLog audit, MasterKey masterKey, Clock clock, boolean plainHttpAllowed) {
        this.plainHttpAllowed = plainHttpAllowed;
        this.db = db;
        this.audit = audit;
        this.store = new WebhookStore();
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /** A new webhook and its signing secret, which exists only in this value from now on. */
    public record Registration(Webhook webhook, OpaqueSecret secret) {
    }

    /**
     * Registers a webhook; its audit record ({@code webhook.created}: id, events, the URL's origin only, a hint of
     * the secret's hash) commits with it, since a webhook is where revocations are told.
     */
    public Registration create(RequestContext origin, String url, List<String> events) {
        URI uri = checkedUrl(url);
        Set<String> types = new LinkedHashSet<>(events == null || events.isEmpty() ? List.of(REVOCATION_CREATED) : events);
        for (String t : types) {
            if (!EVENT_TYPES.contains(t)) {
                throw usage("unknown event type '" + t + "'; known: " + REVOCATION_CREATED + ", *");
            }
        }
        OpaqueSecret secret = OpaqueSecret.generate(SecretKind.WEBHOOK_SECRET);
        Webhook webhook = new Webhook(RandomIds.next("whk_", 20), uri.toString(), List.copyOf(types), clock.instant());
        String encrypted = masterKey.encrypt(secret.secret().reveal(), webhook.webhookId());
        db.inTransaction(c -> {
            store.insert(c, webhook, encrypted);
            audit.append(c, AuditEvent.of(origin, "webhook.created").detail("webhook_id", webhook.webhookId())
                    .detail("events", webhook.events()).detail("url_origin", originOf(uri))
                    .detail("secret", AuditEvent.secretHint(secret.hash())));
            return null;
        });
        return new Registration(webhook, secret);
    }

    /**
     * The URL a webhook may have: absolute {@code https} (or {@code http} on an {@code --insecure} broker: a
     * delivery names what was revoked, and the receiver must know the broker sent it), with a host, and no
     * credential anywhere in it: not as user info, not in the path or query. The URL is listed to every admin
     * and kept in clear for delivering; a receiver authenticates deliveries by their signature instead.
     * Messages never quote the URL.
     */
    private URI checkedUrl(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url);
        } catch (URISyntaxException e) {
            throw usage("url is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw usage("url must be an absolute https URL with a host");
        }
        if (scheme.equals("http") && !plainHttpAllowed) {
            throw usage("url must be https; plain http is accepted only when the broker runs with --insecure");
        }
        if (uri.getRawUserInfo() != null) {
            throw usage("url must not carry user info (user:password@); the receiver checks each delivery's "
                    + "Mayfly-Signature instead");
        }
        if (ClientText.holdsSecret(url)) {
            throw usage("url must not carry a credential (in its path or query); the receiver checks each delivery's "
                    + "Mayfly-Signature instead");
        }
        return uri;
    }

    public List<Webhook> list() {
        return db.read(store::active);
    }

    public Webhook get(String webhookId) {
        return db.read(c -> store.byId(c, webhookId)).map(WebhookStore.Secured::webhook)
                .orElseThrow(() -> notFound(webhookId));
    }

    public void delete(RequestContext origin, String webhookId) {
        boolean deleted = db.inTransaction(c -> {
            if (!store.delete(c, webhookId, clock.instant())) {
                return false;
            }
            audit.append(c, AuditEvent.of(origin, "webhook.deleted").detail("webhook_id", webhookId));
            return true;
        });
        if (!deleted) {
            throw notFound(webhookId);
        }
    }

    /** Scheme, host and port: what an auditor needs to tell receivers apart, without the path a URL may carry. */
    private static String originOf(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    public List<Delivery> deliveries(String webhookId, long beforeId, int limit) {
        get(webhookId);
        return db.read(c -> store.ofWebhook(c, webhookId, beforeId, limit));
    }

    /** Queues the revocation for every webhook that wants it, in the caller's transaction. */
    public void revoked(Connection c, RevocationEvent r) throws SQLException {
        Instant now = clock.instant();
        String payload = null;
        for (Webhook w : store.active(c)) {
            if (w.wants(REVOCATION_CREATED)) {
                if (payload == null) {
                    payload = Json.write(event("evt_rev_" + r.seq(), REVOCATION_CREATED, now, r.toView()));
                }
                store.enqueue(c, w.webhookId(), REVOCATION_CREATED, payload, now);
            }
        }
    }

    /** The secret of a webhook, decrypted for signing one delivery. */
    Optional<String> secretOf(Connection c, String webhookId) throws SQLException {
        return store.byId(c, webhookId).map(s -> masterKey.decrypt(s.secretEncrypted(), webhookId));
    }

    WebhookStore store() {
        return store;
    }

    private static Map<String, Object> event(String id, String type, Instant at, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("created_at", at.toString());
        m.put("data", data);
        return m;
    }

    private static MayflyException usage(String message) {
        return new MayflyException(ErrorCode.USAGE, "Invalid webhook: " + message + ".");
    }

    private static MayflyException notFound(String id) {
        return new MayflyException(ErrorCode.NOT_FOUND, "No webhook with id " + id + ".");
    }
}
