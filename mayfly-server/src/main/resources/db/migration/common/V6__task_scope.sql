-- Task ids are scoped to their agent (an agent chooses its own task ids, so two agents may pick the same one).
-- agent_id is the agent a revoked target belongs to; for a task it is the task's scope. Rows written before this
-- migration have none: a task revocation among them keeps covering that task id for every agent, because which
-- agent it was meant for cannot be known now, and revoking too much is the safe way to be wrong.
ALTER TABLE revocations ADD COLUMN agent_id VARCHAR(64);
CREATE INDEX revocations_owner ON revocations (kind, agent_id, target);
