-- Workload federation (RFC 7523 §2.2): an agent may log in with a JWT assertion instead of a client secret.
-- federated_issuer + federated_claims: an external OIDC issuer the operator trusts and the claim rules its tokens
-- must meet (JSON object NAME -> VALUE, all must match). public_jwk: the agent's own public key, as a JWK, for
-- private_key_jwt. An agent with neither logs in only with its secret; an agent with no client secret has
-- secret_hash '' (the column is NOT NULL since V1, and SQLite cannot drop that without rebuilding the table).
ALTER TABLE agents ADD COLUMN federated_issuer VARCHAR(500);
ALTER TABLE agents ADD COLUMN federated_claims TEXT;
ALTER TABLE agents ADD COLUMN public_jwk TEXT;

-- Assertion ids already used, so an assertion logs in once (RFC 7523 §3 item 7). The primary key makes the
-- check a unique insert every node agrees on; a row may go once its assertion expired (expires_at, which
-- includes the clock skew allowed).
CREATE TABLE assertion_jtis (
    issuer       VARCHAR(500) NOT NULL,
    jti          VARCHAR(255) NOT NULL,
    expires_at   BIGINT       NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX assertion_jtis_expiry ON assertion_jtis (expires_at);

-- The least tier a session's tokens get from what its federated login attested (policy [[attestation]] rules,
-- e.g. a pull-request workflow → high); NULL when nothing raised it. Kept with the session so refreshed and
-- task tokens keep it too.
ALTER TABLE sessions ADD COLUMN attested_tier VARCHAR(16);
