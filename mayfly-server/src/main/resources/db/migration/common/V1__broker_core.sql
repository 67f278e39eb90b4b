-- ${serial_pk}: an auto-incrementing 64-bit key (SQLite: INTEGER PRIMARY KEY AUTOINCREMENT; PostgreSQL: BIGSERIAL).
-- Mayfly broker core schema. Instants are epoch milliseconds (BIGINT) so the same SQL reads the same on
-- SQLite and PostgreSQL. Secrets are stored only as SHA-256 hex; private keys only encrypted.

CREATE TABLE agents (
    agent_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    client_id    VARCHAR(64)  NOT NULL UNIQUE,
    name         VARCHAR(200) NOT NULL UNIQUE,
    kind         VARCHAR(16)  NOT NULL,
    scopes       TEXT         NOT NULL,
    audiences    TEXT         NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    disabled_at  BIGINT
);

CREATE TABLE sessions (
    session_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    agent_id     VARCHAR(64)  NOT NULL REFERENCES agents (agent_id),
    scopes       TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    ended_at     BIGINT,
    end_reason   VARCHAR(200)
);
CREATE INDEX sessions_agent ON sessions (agent_id);

-- One row per refresh token ever issued: the family of a session. A used row is a rotated token;
-- presenting it again is reuse and ends the session.
CREATE TABLE refresh_tokens (
    token_hash   VARCHAR(64)  NOT NULL PRIMARY KEY,
    session_id   VARCHAR(64)  NOT NULL REFERENCES sessions (session_id),
    generation   INTEGER      NOT NULL,
    issued_at    BIGINT       NOT NULL,
    used_at      BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Revocations, in acknowledgement order. covers_until: when every token the entry covers has expired
-- (plus leeway), after which verifiers may forget it.
CREATE TABLE revocations (
    seq          ${serial_pk},
    kind         VARCHAR(16)  NOT NULL,
    target       VARCHAR(200) NOT NULL,
    reason       VARCHAR(500),
    revoked_at   BIGINT       NOT NULL,
    covers_until BIGINT       NOT NULL
);
CREATE INDEX revocations_target ON revocations (kind, target);
CREATE INDEX revocations_covers ON revocations (covers_until);

CREATE TABLE signing_keys (
    kid              VARCHAR(100) NOT NULL PRIMARY KEY,
    alg              VARCHAR(16)  NOT NULL,
    public_jwk       TEXT         NOT NULL,
    private_jwk_enc  TEXT         NOT NULL,
    created_at       BIGINT       NOT NULL,
    retired_at       BIGINT
);
