package dev.mayfly.server.webhook;

import dev.mayfly.server.store.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for webhooks, their delivery outbox and the attempts log. */
public final class WebhookStore {
    private static final String DELIVERY_COLUMNS =
            "delivery_id, webhook_id, event_type, payload, status, attempts, next_attempt_at, created_at, delivered_at";

    /** A webhook row with its encrypted secret, for the dispatcher only. */
    record Secured(Webhook webhook, String secretEncrypted) {
    }

    void insert(Connection c, Webhook w, String secretEncrypted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO webhooks (webhook_id, url, events, secret_enc, created_at) VALUES (?,?,?,?,?)")) {
            ps.setString(1, w.webhookId());
            ps.setString(2, w.url());
            ps.setString(3, Rows.join(w.events()));
            ps.setString(4, secretEncrypted);
            ps.setLong(5, w.createdAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    List<Webhook> active(Connection c) throws SQLException {
        List<Webhook> out = new ArrayList<>();
        for (Secured s : activeSecured(c)) {
            out.add(s.webhook());
        }
        return out;
    }

    List<Secured> activeSecured(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT webhook_id, url, events, secret_enc, created_at FROM webhooks WHERE deleted_at IS NULL ORDER BY created_at");
             ResultSet rs = ps.executeQuery()) {
            List<Secured> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Secured(map(rs), rs.getString("secret_enc")));
            }
            return out;
        }
    }

    Optional<Secured> byId(Connection c, String webhookId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT webhook_id, url, events, secret_enc, created_at FROM webhooks WHERE webhook_id = ? AND deleted_at IS NULL")) {
            ps.setString(1, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Secured(map(rs), rs.getString("secret_enc"))) : Optional.empty();
            }
        }
    }

    boolean delete(Connection c, String webhookId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE webhooks SET deleted_at = ? WHERE webhook_id = ? AND deleted_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, webhookId);
            return ps.executeUpdate() == 1;
        }
    }

    void enqueue(Connection c, String webhookId, String eventType, String payload, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, event_type, payload,"
                + " status, attempts, next_attempt_at, created_at) VALUES (?,?,?,?,0,?,?)")) {
            ps.setString(1, webhookId);
            ps.setString(2, eventType);
            ps.setString(3, payload);
            ps.setString(4, Delivery.PENDING);
            ps.setLong(5, at.toEpochMilli());
            ps.setLong(6, at.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** Webhooks with a delivery due now, so each endpoint's lane is filled from its own deliveries (fairness). */
    List<String> webhooksWithDue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT webhook_id FROM webhook_deliveries"
                + " WHERE status = ? AND next_attempt_at <= ? LIMIT ?")) {
            ps.setString(1, Delivery.PENDING);
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, limit);
            List<String> ids = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** One webhook's due deliveries, oldest first. */
    List<Delivery> dueFor(Connection c, String webhookId, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
                + " WHERE webhook_id = ? AND status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, delivery_id LIMIT ?")) {
            ps.setString(1, webhookId);
            ps.setString(2, Delivery.PENDING);
            ps.setLong(3, now.toEpochMilli());
            ps.setInt(4, limit);
            return deliveries(c, ps, false);
        }
    }

    List<Delivery> ofWebhook(Connection c, String webhookId, long beforeId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
                + " WHERE webhook_id = ? AND delivery_id < ? ORDER BY delivery_id DESC LIMIT ?")) {
            ps.setString(1, webhookId);
            ps.setLong(2, beforeId);
            ps.setInt(3, limit);
            return deliveries(c, ps, true);
        }
    }

    /** Records an attempt and the delivery's new state. */
    void recordAttempt(Connection c, Delivery d, Delivery.Attempt a, String status, Instant nextAttemptAt, Instant deliveredAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at,"
                + " status_code, error, duration_ms) VALUES (?,?,?,?,?,?)")) {
            ps.setLong(1, d.deliveryId());
            ps.setInt(2, a.attempt());
            ps.setLong(3, a.at().toEpochMilli());
            if (a.statusCode() == null) {
                ps.setNull(4, Types.INTEGER);
            } else {
                ps.setInt(4, a.statusCode());
            }
            ps.setString(5, a.error());
            ps.setLong(6, a.durationMs());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = ?, attempts = ?,"
                + " next_attempt_at = ?, delivered_at = ? WHERE delivery_id = ?")) {
            ps.setString(1, status);
            ps.setInt(2, a.attempt());
            ps.setLong(3, nextAttemptAt.toEpochMilli());
            if (deliveredAt == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, deliveredAt.toEpochMilli());
            }
            ps.setLong(5, d.deliveryId());
            ps.executeUpdate();
        }
    }

    private List<Delivery> deliveries(Connection c, PreparedStatement ps, boolean withHistory) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Delivery(rs.getLong("delivery_id"), rs.getString("webhook_id"), rs.getString("event_type"),
                        rs.getString("payload"), rs.getString("status"), rs.getInt("attempts"),
                        Rows.instant(rs, "next_attempt_at"), Rows.instant(rs, "created_at"),
                        Rows.instant(rs, "delivered_at"), List.of()));
            }
        }
        if (!withHistory) {
            return out;
        }
        List<Delivery> full = new ArrayList<>();
        for (Delivery d : out) {
            full.add(new Delivery(d.deliveryId(), d.webhookId(), d.eventType(), d.payload(), d.status(), d.attempts(),
                    d.nextAttemptAt(), d.createdAt(), d.deliveredAt(), attempts(c, d.deliveryId())));
        }
        return full;
    }

    private List<Delivery.Attempt> attempts(Connection c, long deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, attempted_at, status_code, error, duration_ms"
                + " FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt")) {
            ps.setLong(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Delivery.Attempt> out = new ArrayList<>();
                while (rs.next()) {
                    int code = rs.getInt("status_code");
                    Integer status = rs.wasNull() ? null : code;
                    out.add(new Delivery.Attempt(rs.getInt("attempt"), Rows.instant(rs, "attempted_at"), status,
                            rs.getString("error"), rs.getLong("duration_ms")));
                }
                return out;
            }
        }
    }

    private static Webhook map(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString("webhook_id"), rs.getString("url"), Rows.list(rs.getString("events")),
                Rows.instant(rs, "created_at"));
    }
}
