package dev.mayfly.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.http.SseEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feed's wire format: what the broker writes is what a verifier reads, and what a newer broker may add is skipped. */
class RevocationFeedCodecTest {
    static final Instant AT = Instant.parse("2026-12-07T16:00:00Z");

    /** Writes the event as the broker does and reads it back through the same SSE parser the verifier uses. */
    static List<FeedMessage> roundTrip(byte[] sse) {
        List<FeedMessage> read = new ArrayList<>();
        SseEvents events = new SseEvents((type, id, data) -> read.add(RevocationFeedCodec.decode(type, data)));
        new String(sse, StandardCharsets.UTF_8).lines().forEach(events::line);
        events.line("");
        return read;
    }

    @Test
    void everyKindSurvivesTheRoundTrip() {
        for (Revocation.Granularity kind : Revocation.Granularity.values()) {
            RevocationEvent e = new RevocationEvent(7, kind, "tgt_1", "line one\nline two \"quoted\"", AT, AT.plusSeconds(90));
            assertThat(roundTrip(RevocationFeedCodec.encode(e))).containsExactly(new FeedMessage.Revoked(e));
        }
    }

    @Test
    void aTaskRevocationCarriesItsAgentAcrossTheWire() {
        RevocationEvent e = new RevocationEvent(8, Revocation.Granularity.TASK, "build-7", "done", AT, AT.plusSeconds(90), "agt_a");
        assertThat(new String(RevocationFeedCodec.encode(e), StandardCharsets.UTF_8)).contains("\"agent_id\":\"agt_a\"");
        assertThat(roundTrip(RevocationFeedCodec.encode(e))).containsExactly(new FeedMessage.Revoked(e));
    }

    @Test
    void anEventOfAnOlderBrokerWithoutAgentIdStillReadsAsAnUnscopedRevocation() {
        String data = "{\"seq\":4,\"kind\":\"task\",\"target\":\"build-7\",\"reason\":null,"
                + "\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}";
        FeedMessage read = RevocationFeedCodec.decode("revocation", data);
        assertThat(read).isEqualTo(new FeedMessage.Revoked(new RevocationEvent(
                4, Revocation.Granularity.TASK, "build-7", null, AT, Instant.parse("2026-12-07T16:10:00Z"))));
        assertThat(((FeedMessage.Revoked) read).event().scopedToAgent()).isFalse();
    }

    @Test
    void aBrokenAgentIdIsRefusedNotReadAsUnscoped() {
        // Read as "no agent", a broken agent_id would widen the revocation to every agent's task of that id.
        String data = "{\"seq\":4,\"kind\":\"task\",\"target\":\"build-7\",\"agent_id\":7,"
                + "\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}";
        assertThatThrownBy(() -> RevocationFeedCodec.decode("revocation", data))
                .isInstanceOf(RevocationFeedCodec.MalformedEventException.class).hasMessageContaining("agent_id");
    }

    @Test
    void aNullReasonStaysNull() {
        RevocationEvent e = new RevocationEvent(1, Revocation.Granularity.AGENT, "agt_1", null, AT, AT);
        assertThat(roundTrip(RevocationFeedCodec.encode(e))).containsExactly(new FeedMessage.Revoked(e));
    }

    @Test
    void theEventIdIsTheSequenceSoAResumeStartsAfterIt() {
        RevocationEvent e = new RevocationEvent(42, Revocation.Granularity.TOKEN, "jti_1", null, AT, AT);
        List<String> ids = new ArrayList<>();
        SseEvents events = new SseEvents((type, id, data) -> ids.add(id));
        new String(RevocationFeedCodec.encode(e), StandardCharsets.UTF_8).lines().forEach(events::line);
        events.line("");
        assertThat(ids).containsExactly("42");
    }

    @Test
    void heartbeatRoundTrip() {
        FeedMessage.Heartbeat beat = new FeedMessage.Heartbeat(9, AT);
        assertThat(roundTrip(RevocationFeedCodec.encode(beat))).containsExactly(beat);
    }

    @Test
    void anUnknownKindIsReportedWithItsSequenceNotThrown() {
        String data = "{\"seq\":5,\"kind\":\"workload\",\"target\":\"w_1\",\"reason\":null,"
                + "\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}";
        assertThat(RevocationFeedCodec.decode("revocation", data)).isEqualTo(new FeedMessage.UnknownKind(5, "workload"));
    }

    @Test
    void unknownEventTypesAndUnknownFieldsAreSkipped() {
        assertThat(RevocationFeedCodec.decode("key-rotation", "not even json")).isEqualTo(new FeedMessage.Ignored("key-rotation"));
        String data = "{\"seq\":3,\"kind\":\"task\",\"target\":\"tsk_1\",\"reason\":\"done\",\"revoked_at\":\"2026-12-07T16:00:00Z\","
                + "\"covers_until\":\"2026-12-07T16:10:00Z\",\"issuer\":\"https://future\",\"extra\":{\"a\":[1]}}";
        assertThat(RevocationFeedCodec.decode("revocation", data)).isEqualTo(new FeedMessage.Revoked(new RevocationEvent(
                3, Revocation.Granularity.TASK, "tsk_1", "done", AT, Instant.parse("2026-12-07T16:10:00Z"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "[]",
        "{bad json",
        "{\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}",
        "{\"seq\":\"7\",\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}",
        "{\"seq\":-1,\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}",
        "{\"seq\":1.5,\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}",
        "{\"seq\":1,\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}",
        "{\"seq\":1,\"kind\":\"task\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}",
        "{\"seq\":1,\"kind\":\"task\",\"target\":\"\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}",
        "{\"seq\":1,\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\"}",
        "{\"seq\":1,\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"tomorrow\"}",
        "{\"seq\":1,\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":1765123200}",
    })
    void aBrokenRevocationIsRefusedNotHalfApplied(String data) {
        assertThatThrownBy(() -> RevocationFeedCodec.decode("revocation", data))
                .isInstanceOf(RevocationFeedCodec.MalformedEventException.class);
    }

    @Test
    void aBrokenHeartbeatIsRefused() {
        assertThatThrownBy(() -> RevocationFeedCodec.decode("heartbeat", "{\"at\":\"2026-12-07T16:00:00Z\"}"))
                .isInstanceOf(RevocationFeedCodec.MalformedEventException.class);
    }

    @Test
    void theMessageNamesTheFieldNeverItsValue() {
        String data = "{\"seq\":1,\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"mfy_rt_secretlooking\"}";
        assertThatThrownBy(() -> RevocationFeedCodec.decode("revocation", data))
                .hasMessageContaining("covers_until").hasMessageNotContaining("mfy_rt_");
    }

    @Test
    void wireNamesAreTheLowerCaseNamesAndUnknownOnesAreEmpty() {
        for (Revocation.Granularity g : Revocation.Granularity.values()) {
            assertThat(Revocation.Granularity.fromWire(g.wireName())).contains(g);
        }
        assertThat(Revocation.Granularity.fromWire("SESSION")).isEmpty();
        assertThat(Revocation.Granularity.fromWire(null)).isEmpty();
    }

    /** The lenient reading a subscriber uses: never throws, keeps what it could read (issue 18 item 7). */
    @Test
    void lenientReadingKeepsWhatItCanAndNeverThrows() {
        String badTime = "{\"seq\":4,\"kind\":\"task\",\"target\":\"t\",\"revoked_at\":\"x\",\"covers_until\":\"mfy_rt_x\"}";
        assertThat(RevocationFeedCodec.decodeLeniently("revocation", "4", badTime)).isInstanceOfSatisfying(
                FeedMessage.Unreadable.class, u -> {
                    assertThat(u.seq()).isEqualTo(4L);
                    assertThat(u.kind()).isEqualTo(Revocation.Granularity.TASK);
                    assertThat(u.target()).isEqualTo("t");
                    assertThat(u.problem()).doesNotContain("mfy_rt_");
                });
        assertThat(RevocationFeedCodec.decodeLeniently("revocation", null, "{\"seq\":5,\"kind\":7}"))
                .isEqualTo(new FeedMessage.Unreadable(5L, null, null, "\"kind\" is missing or not a string"));
        assertThat(RevocationFeedCodec.decodeLeniently("revocation", "6", "not json"))
                .isInstanceOfSatisfying(FeedMessage.Unreadable.class, u -> assertThat(u.seq()).isEqualTo(6L));
        assertThat(RevocationFeedCodec.decodeLeniently("revocation", null, "[]"))
                .isInstanceOfSatisfying(FeedMessage.Unreadable.class, u -> assertThat(u.seq()).isNull());
        assertThat(RevocationFeedCodec.decodeLeniently("batch", "9", "{}"))
                .isEqualTo(new FeedMessage.Unreadable(9L, null, null, "unknown event type"));
        assertThat(RevocationFeedCodec.decodeLeniently("batch", null, "{}")).isEqualTo(new FeedMessage.Ignored("batch"));
        assertThat(RevocationFeedCodec.decodeLeniently("heartbeat", null, "{}")).isInstanceOf(FeedMessage.Unreadable.class);
    }

    /** The stream's last event when its credential ends (issue 18 item 4): the catalog error, read back. */
    @Test
    void aClosedEventCarriesTheCatalogErrorAndReadsBack() {
        byte[] wire = RevocationFeedCodec.encodeClosed(dev.mayfly.core.error.MayflyError.of(
                dev.mayfly.core.error.ErrorCode.CREDENTIALS_REVOKED, "The token was revoked."));
        List<FeedMessage> read = new ArrayList<>();
        SseEvents events = new SseEvents((type, id, data) -> read.add(RevocationFeedCodec.decode(type, data)));
        new String(wire, StandardCharsets.UTF_8).lines().forEach(events::line);
        events.line("");
        assertThat(read).containsExactly(new FeedMessage.Closed("CREDENTIALS_REVOKED", "The token was revoked."));
    }
}
