-- Leak reports, one row per leaked secret (by SHA-256), so reporting the same leak twice is idempotent.
CREATE TABLE leaks (
    token_hash     VARCHAR(64)  NOT NULL PRIMARY KEY,
    token_type     VARCHAR(32)  NOT NULL,
    status         VARCHAR(32)  NOT NULL,
    source         VARCHAR(500),
    url            VARCHAR(2000),
    reported_at    BIGINT       NOT NULL,
    revocation_seq BIGINT
);
