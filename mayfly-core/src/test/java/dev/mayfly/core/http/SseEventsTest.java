package dev.mayfly.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventsTest {
    @Test
    void assemblesEventsAtBlankLinesAndIgnoresComments() {
        List<String> got = new ArrayList<>();
        SseEvents events = new SseEvents((type, id, data) -> got.add(type + "|" + id + "|" + data));
        for (String line : List.of(": hello", "id: 7", "event: revocation", "data: {\"a\":", "data: 1}", "",
                "data:plain", "", "", "event: heartbeat", "data: {}", "")) {
            events.line(line);
        }
        assertThat(got).containsExactly("revocation|7|{\"a\":\n1}", "message|null|plain", "heartbeat|null|{}");
    }

    @Test
    void aListenerThatAsksToStopIsToldAtTheDispatchingLine() {
        SseEvents events = new SseEvents((type, id, data) -> false);
        assertThat(events.line("data: x")).isTrue();
        assertThat(events.line("")).isFalse();
    }
}
