-- Webhooks: the secret is needed to sign every delivery, so it is kept encrypted under the master key
-- (like signing keys), never in clear and never returned after creation.
CREATE TABLE webhooks (
    webhook_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    url          VARCHAR(2000) NOT NULL,
    events       TEXT         NOT NULL,
    secret_enc   TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    deleted_at   BIGINT
);

-- The outbox: one row per event per webhook, written in the transaction of the event itself, so an
-- acknowledged revocation always has its deliveries queued.
CREATE TABLE webhook_deliveries (
    delivery_id     ${serial_pk},
    webhook_id      VARCHAR(64)  NOT NULL REFERENCES webhooks (webhook_id),
    event_type      VARCHAR(64)  NOT NULL,
    payload         TEXT         NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    next_attempt_at BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id);

CREATE TABLE webhook_attempts (
    delivery_id  BIGINT       NOT NULL REFERENCES webhook_deliveries (delivery_id),
    attempt      INTEGER      NOT NULL,
    attempted_at BIGINT       NOT NULL,
    status_code  INTEGER,
    error        VARCHAR(500),
    duration_ms  BIGINT       NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
