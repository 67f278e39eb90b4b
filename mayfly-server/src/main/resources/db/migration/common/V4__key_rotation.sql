-- Key rotation: a key is published from created_at, signs from activate_at, and is withdrawn from the
-- JWKS after retired_at (set when a newer key takes over: the moment the last token it signed expires).
ALTER TABLE signing_keys ADD COLUMN activate_at BIGINT;
UPDATE signing_keys SET activate_at = created_at;
