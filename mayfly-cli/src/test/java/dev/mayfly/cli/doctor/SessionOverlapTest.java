package dev.mayfly.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionOverlapTest {
    private final SessionOverlap overlap = new SessionOverlap();

    private void use(long seq, String agent, String session, String addr) {
        overlap.add(new SessionOverlap.Use(seq, agent, session, addr));
    }

    @Test
    void aSessionUsedAfterAnotherOfTheSameAgentStartedIsAnInterleaving() {
        use(1, "agt_a", "ses_1", "10.0.0.1");
        use(2, "agt_a", "ses_2", "10.0.0.2");
        use(3, "agt_a", "ses_1", "10.0.0.1");
        assertThat(overlap.shared()).singleElement().satisfies(s -> {
            assertThat(s.agentId()).isEqualTo("agt_a");
            assertThat(s.sessions()).containsExactly("ses_1", "ses_2");
            assertThat(s.clientAddresses()).containsExactly("10.0.0.1", "10.0.0.2");
            assertThat(s.interleavings()).isEqualTo(1);
        });
    }

    @Test
    void oneSessionAfterAnotherIsARestartNotASharedSecret() {
        use(1, "agt_a", "ses_1", "10.0.0.1");
        use(2, "agt_a", "ses_1", "10.0.0.1");
        use(3, "agt_a", "ses_2", "10.0.0.1");
        use(4, "agt_a", "ses_2", "10.0.0.1");
        assertThat(overlap.shared()).isEmpty();
        assertThat(overlap.sessions()).isEqualTo(2);
    }

    @Test
    void differentAgentsNeverInterleaveAndRecordsWithoutASessionAreIgnored() {
        use(1, "agt_a", "ses_1", null);
        use(2, "agt_b", "ses_2", null);
        use(3, "agt_a", "ses_1", null);
        use(4, "agt_a", null, null);
        assertThat(overlap.shared()).isEmpty();
    }

    @Test
    void threeInstancesCountEveryInterleavingPairAndTheWorstAgentComesFirst() {
        use(1, "agt_b", "ses_b1", null);
        use(2, "agt_b", "ses_b2", null);
        use(3, "agt_b", "ses_b1", null);
        use(10, "agt_a", "ses_1", null);
        use(11, "agt_a", "ses_2", null);
        use(12, "agt_a", "ses_3", null);
        use(13, "agt_a", "ses_1", null);
        use(14, "agt_a", "ses_2", null);
        assertThat(overlap.shared()).extracting(SessionOverlap.Shared::agentId).containsExactly("agt_a", "agt_b");
        assertThat(overlap.shared().get(0).interleavings()).isEqualTo(3); // 1-2, 1-3, 2-3
    }
}
