package dev.mayfly.server.agent;

import dev.mayfly.core.token.Audiences;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents registered before the audience rule ({@link Audiences#rule()}) whose audiences it now refuses (a
 * slash, say: {@code api/orders}). Their tokens for those audiences are refused at exchange with
 * {@code USAGE}, so an upgrade that silently broke them would surface only as an agent's failure. The broker
 * checks at start and warns once per such agent, naming the agent and the audience's position (never the
 * audience itself, which is the operator's data, not the log's).
 */
public final class RefusedAudiences {
    private static final Logger LOG = LoggerFactory.getLogger(RefusedAudiences.class);
    private static final int PAGE = 500;

    /** An agent and the 1-based positions of its audiences the rule refuses. */
    public record Finding(String agentId, String name, List<Integer> positions) {
    }

    private RefusedAudiences() {
    }

    /** Every enabled agent with an audience the rule refuses, read a page at a time. */
    public static List<Finding> find(Database db, AgentStore agents) {
        List<Finding> out = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<Agent> page = db.read(c -> agents.list(c, from, PAGE));
            for (Agent a : page) {
                List<Integer> refused = new ArrayList<>();
                for (int i = 0; i < a.audiences().size(); i++) {
                    if (!Audiences.isValid(a.audiences().get(i))) {
                        refused.add(i + 1);
                    }
                }
                if (!refused.isEmpty() && a.disabledAt() == null) {
                    out.add(new Finding(a.agentId(), a.name(), refused));
                }
            }
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).agentId();
        }
    }

    /** Logs one warning per agent {@link #find} reports; returns how many there were. */
    public static int warn(Database db, AgentStore agents) {
        List<Finding> found = find(db, agents);
        for (Finding f : found) {
            LOG.warn("agent {} ({}) has audience(s) #{} that the audience rule refuses ({}): its tokens for them are "
                            + "refused with USAGE; register the agent again with valid audiences and disable this one "
                            + "(docs/operations.md, \"Upgrading\")",
                    f.agentId(), f.name(), f.positions(), Audiences.rule());
        }
        return found.size();
    }
}
