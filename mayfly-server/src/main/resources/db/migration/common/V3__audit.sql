-- The audit trail: one row per act, hash-chained (hash = SHA-256 over the previous hash and this row's
-- canonical form, sequence number included), written in the transaction of the act it records.
CREATE TABLE audit_events (
    seq          BIGINT       NOT NULL PRIMARY KEY,
    at           BIGINT       NOT NULL,
    event        VARCHAR(64)  NOT NULL,
    outcome      VARCHAR(16)  NOT NULL,
    code         VARCHAR(32),
    agent_id     VARCHAR(64),
    session_id   VARCHAR(64),
    task_id      VARCHAR(200),
    jti          VARCHAR(64),
    scopes       TEXT,
    tier         VARCHAR(16),
    ttl_s        BIGINT,
    actor        TEXT,
    client_addr  VARCHAR(64),
    request_id   VARCHAR(64),
    details      TEXT,
    prev_hash    VARCHAR(64)  NOT NULL,
    hash         VARCHAR(64)  NOT NULL
);
CREATE INDEX audit_agent ON audit_events (agent_id, seq);
CREATE INDEX audit_session ON audit_events (session_id, seq);
CREATE INDEX audit_task ON audit_events (task_id, seq);
CREATE INDEX audit_jti ON audit_events (jti);
CREATE INDEX audit_event ON audit_events (event, seq);
CREATE INDEX audit_at ON audit_events (at);
