package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.rules.BuiltinRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streamed model output is reassembled before scanning; findings map back to the first piece. */
class LlmStreamTest {
    private static final SecretScanner SCANNER = SecretScanner.create();
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 21);

    static List<String> split(String s, int... cuts) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int c : cuts) {
            parts.add(s.substring(from, c));
            from = c;
        }
        parts.add(s.substring(from));
        return parts;
    }

    static String openAiChunk(String content) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + Fixtures.jsonEscape(content) + "\"},\"finish_reason\":null}]}\n\n";
    }

    @Test
    void openai_deltas_splitting_a_token_across_five_chunks() {
        List<String> pieces = split("Your token is " + RT + ".", 16, 25, 34, 46);
        assertThat(pieces).hasSize(5);
        StringBuilder sse = new StringBuilder("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n");
        for (String p : pieces) {
            sse.append(openAiChunk(p));
        }
        sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n");
        String text = sse.toString();

        ScanResult result = SCANNER.scan(text, "stream.sse");

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo(BuiltinRules.MAYFLY_REFRESH_TOKEN);
            assertThat(f.isMayfly()).isTrue();
            assertThat(f.mayflySecret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(RT));
            assertThat(f.decodedFrom()).containsExactly(Decoding.LLM_STREAM);
            // "Your token is " + "mf" is the first piece (16 chars): the token starts on line 3
            String line3 = text.split("\n")[2];
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.column()).isEqualTo(line3.indexOf("mf\"}") + 1);
            assertThat(f.endLine()).isEqualTo(11);
        });
    }

    @Test
    void anthropic_content_block_deltas() {
        StringBuilder sse = new StringBuilder("event: message_start\ndata: {\"type\":\"message_start\"}\n\n");
        for (String p : split("export MAYFLY_TOKEN=" + RT + "\n", 22, 30, 47)) {
            sse.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + Fixtures.jsonEscape(p) + "\"}}\n\n");
        }
        sse.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");

        ScanResult result = SCANNER.scan(sse, "claude.sse");

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.fingerprint()).isEqualTo(Fixtures.fingerprint(RT));
            assertThat(f.line()).isEqualTo(5);
        });
    }

    @Test
    void tool_call_arguments_with_escaped_json() {
        String args = "{\"headers\":{\"Authorization\":\"Bearer " + RT + "\"}}";
        StringBuilder jsonl = new StringBuilder();
        for (String p : split(args, 9, 35, 50, 70)) {
            jsonl.append("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                    + "{\"arguments\":\"" + Fixtures.jsonEscape(p) + "\"}}]}}]}\n");
        }

        ScanResult result = SCANNER.scan(jsonl, "tools.jsonl");

        assertThat(result.findings()).singleElement()
                .satisfies(f -> assertThat(f.fingerprint()).isEqualTo(Fixtures.fingerprint(RT)));
    }

    @Test
    void openai_responses_api_deltas() {
        StringBuilder jsonl = new StringBuilder();
        for (String p : split(RT, 3, 10, 20)) {
            jsonl.append("{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"")
                    .append(p).append("\"}\n");
        }
        jsonl.append("{\"type\":\"response.output_text.done\",\"output_index\":0,\"content_index\":0}\n");

        assertThat(SCANNER.scan(jsonl, "r.jsonl").findings()).hasSize(1);
    }

    @Test
    void interleaved_choices_are_reassembled_separately() {
        List<String> a = split(RT, 10, 20, 30);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            jsonl.append("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(a.get(i)).append("\"}}]}\n");
            jsonl.append("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"noise ").append(i).append("\"}}]}\n");
        }

        assertThat(SCANNER.scan(jsonl, "n.jsonl").findings()).singleElement()
                .satisfies(f -> assertThat(f.line()).isEqualTo(1));
    }

    @Test
    void a_split_look_alike_with_a_bad_checksum_is_not_reported() {
        String fake = Fixtures.mayflyBadChecksum(SecretKind.REFRESH_TOKEN, 21);
        StringBuilder sse = new StringBuilder();
        for (String p : split(fake, 8, 19, 30, 41)) {
            sse.append(openAiChunk(p));
        }

        assertThat(SCANNER.scan(sse, "x").findings()).isEmpty();
    }

    @Test
    void a_token_in_one_piece_is_reported_once() {
        String text = openAiChunk("token " + RT + " done");

        assertThat(SCANNER.scan(text, "x").findings()).singleElement()
                .satisfies(f -> assertThat(f.decodedFrom()).isEmpty());
    }
    static String responsesDelta(String piece) {
        return "data: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,"
                + "\"delta\":\"" + Fixtures.jsonEscape(piece) + "\"}\n\n";
    }

    /** A {@code *.done} event names none of delta, stop or finish: it must still end its stream. */
    static final String RESPONSES_DONE =
            "data: {\"type\":\"response.output_text.done\",\"output_index\":0,\"content_index\":0}\n\n";

    @Test
    void a_responses_done_event_ends_its_stream_so_the_next_text_is_not_joined_to_it() {
        StringBuilder sse = new StringBuilder();
        List<String> halves = split(RT, 20);
        sse.append(responsesDelta(halves.get(0))).append(RESPONSES_DONE);
        // a later output reusing the indexes: a new text, not the rest of the first
        sse.append(responsesDelta(halves.get(1))).append(RESPONSES_DONE);

        assertThat(SCANNER.scan(sse, "r.sse").findings()).isEmpty();
    }

    @Test
    void a_responses_done_event_releases_the_input_its_stream_held_back() throws java.io.IOException {
        String sse = responsesDelta("Your token is ") + responsesDelta(RT.substring(0, 10)) + RESPONSES_DONE;
        List<Long> committed = new ArrayList<>();
        ScanListener listener = new ScanListener() {
            @Override
            public void finding(Finding finding) {
            }

            @Override
            public void committed(long offset) {
                committed.add(offset);
            }
        };

        ((DefaultScanner) SCANNER).newScan("r.sse", listener).run(new java.io.StringReader(sse));

        // one window: its end is committed before the input ends, as the stream was scanned at .done;
        // a stream still open would hold it back to its first character
        assertThat(committed).containsExactly((long) sse.length(), Long.MAX_VALUE);
    }
    @Test
    void a_stream_that_never_ends_is_scanned_once_it_lags_too_far_behind() throws java.io.IOException {
        StringBuilder in = new StringBuilder("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"}}]}\n");
        // another stream keeps going (its text fed every line), the first one never ends
        String other = "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"more text\"}}]}\n";
        while (in.length() < DeltaReassembler.MAX_LAG + 200_000) {
            in.append(other).append("2026-12-03T18:00:00Z INFO nothing to see here\n");
        }
        List<Long> committed = new ArrayList<>();
        ScanListener listener = new ScanListener() {
            @Override
            public void finding(Finding finding) {
            }

            @Override
            public void committed(long offset) {
                committed.add(offset);
            }
        };

        ((DefaultScanner) SCANNER).newScan("lag.jsonl", listener).run(new java.io.StringReader(in.toString()));

        // held back to the first stream's text until it lags MAX_LAG behind, then let go (the second
        // stream, fed every line, still holds back its own unscanned text, a window of it at most)
        assertThat(committed.get(0)).isLessThan(100L);
        assertThat(committed.get(committed.size() - 2)).isGreaterThan(in.length() - DeltaReassembler.MAX_LAG);
    }
}
