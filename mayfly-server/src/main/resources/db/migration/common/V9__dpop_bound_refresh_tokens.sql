-- DPoP (RFC 9449 §5): a refresh token issued to a client that proved possession of a DPoP key is bound to
-- that key's RFC 7638 thumbprint (the jkt). Presenting it needs a proof signed by the same key; its
-- successors inherit the binding. NULL: a bearer refresh token (the client sent no proof at login).
ALTER TABLE refresh_tokens ADD COLUMN dpop_jkt TEXT;
