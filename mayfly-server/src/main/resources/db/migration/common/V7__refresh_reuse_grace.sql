-- Refresh-token reuse grace: a rotated refresh token presented again within the policy's
-- refresh_reuse_grace gets the same successor (its answer was lost on the network). The successor is
-- derived from the presented token under the master key, never stored; this counts the replays, so the
-- decision (window, count, successor still unused) is one conditional update every node agrees on.
ALTER TABLE refresh_tokens ADD COLUMN grace_replays INTEGER NOT NULL DEFAULT 0;
