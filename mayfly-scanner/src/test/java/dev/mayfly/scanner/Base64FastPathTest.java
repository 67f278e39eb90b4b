package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The base64 decoder's fast paths (the walk that reads each window of {@value Base64Decoder#MIN_RUN}
 * characters from its far end, the hex-only test folded into it, the run refused on its first byte or
 * its first quads in a reused buffer) find and decode exactly what {@link PlainDecoders#base64} finds
 * with a walk over every run and a whole decode of each: on base64-dense text (log words, hex digests,
 * ids, paths, encoded text cut anywhere, hex runs that decode to text) in root views, in views with
 * characters rewritten by the JSON and percent decoders, in decoded base64 views, and in buffers longer
 * than the view.
 */
class Base64FastPathTest {
    /** Hex-only runs that decode to text: the plain walk skips them as digests, so must the fast one. */
    private static final String[] HEX_TEXT = {"c25EeD1CaFddb2F4", "2446aD92aE05cdaa", "37d4fCd1eEFFb3A1", "b0BCd05adEB4fdC7"};
    private static final String[] SEPARATORS = {
        " ", " ", " ", ".", ":", "=", "==", "\n", ",", "\"", "'", "?", "&", "\t",
        "\u00e9", "\u4e2d", "\ud83d\ude00", "\u0141", "\u0161", "\uff21", "\u0130", "\u212a", "\u0080", "\uffff",
    };
    /** What the encoded text is made of: ASCII, multi-byte characters, and now and then a control character. */
    private static final String[] PLAIN_PIECES = {
        "user", ":", "pass", " ", "word", "AKIA", "\n", "\t", "\r", "\u00e9", "\u00a9", "\u00b0", "\u20ac",
        "\ud83d\ude00", "\u4e2d", "{\"k\":\"v\"}", "=", "-", "0", "\u0001", "\u007f", "\u0000",
    };
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdefABCDEF";

    @Test
    void root_views_give_the_plain_walks_views() {
        Random random = new Random(21);
        int views = 0;
        for (int round = 0; round < 20_000; round++) {
            String text = randomText(random);
            char[] buffer = withTail(text, random);
            View root = View.root(buffer, text.length());
            views += assertSameViews(root, random.nextBoolean(), text);
        }
        assertThat(views).isGreaterThan(20_000);
    }

    @Test
    void a_window_that_starts_inside_an_encoded_run_gives_the_plain_walks_views() {
        Random random = new Random(22);
        int views = 0;
        for (int round = 0; round < 20_000; round++) {
            // the window was cut anywhere in a run: its first quad may not be a quad of the encoding
            String encoded = encoded(random, 12 + random.nextInt(60));
            String text = encoded.substring(random.nextInt(Math.min(8, encoded.length()))) + randomText(random);
            View root = View.root(withTail(text, random), text.length());
            views += assertSameViews(root, true, text);
        }
        assertThat(views).isGreaterThan(10_000);
    }

    @Test
    void views_with_rewritten_characters_give_the_plain_walks_views() {
        Random random = new Random(23);
        String[] escapes = {"\\u0041", "\\/", "\\n", "\\\"", "\\u00e9", "%2F", "%41", "%3D", "%2B", "%C3%A9", "\\u0030"};
        int views = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder(randomText(random));
            for (int k = random.nextInt(6); k >= 0; k--) {
                sb.insert(random.nextInt(sb.length() + 1), escapes[random.nextInt(escapes.length)]);
            }
            // an encoded run that only the decoded view has whole: some of its characters escaped
            StringBuilder run = new StringBuilder(encoded(random, 12 + random.nextInt(40)));
            for (int k = random.nextInt(3); k >= 0; k--) {
                int at = random.nextInt(run.length());
                String hex = String.format("%02X", (int) run.charAt(at));
                run.replace(at, at + 1, random.nextBoolean() ? "\\u00" + hex : "%" + hex);
            }
            sb.insert(random.nextInt(sb.length() + 1), " " + run + " ");
            String text = sb.toString();
            View root = View.root(withTail(text, random), text.length());
            boolean truncated = random.nextBoolean();
            View json = JsonStringDecoder.decode(root, new Scratch(4));
            if (json != null) {
                views += assertSameViews(json, truncated, text);
            }
            View percent = PercentDecoder.decode(json != null ? json : root, new Scratch(4));
            if (percent != null) {
                views += assertSameViews(percent, truncated, text);
            }
        }
        assertThat(views).isGreaterThan(1_000);
    }

    @Test
    void decoded_base64_views_give_the_plain_walks_views() {
        Random random = new Random(24);
        int nested = 0;
        for (int round = 0; round < 5_000; round++) {
            // base64 of text that is itself base64-dense: the decoded view (a ranged one) is walked again
            String inner = randomText(random);
            byte[] bytes = inner.getBytes(StandardCharsets.UTF_8);
            String text = randomText(random) + " " + Base64.getEncoder().encodeToString(bytes) + " " + randomText(random);
            List<View> first = new ArrayList<>();
            Base64Decoder.decode(View.root(text.toCharArray(), text.length()), random.nextBoolean(), first);
            for (View d : first) {
                nested += assertSameViews(d, random.nextBoolean(), text);
            }
        }
        assertThat(nested).isGreaterThan(100);
    }

    @Test
    void a_run_is_refused_on_its_first_byte_only_when_the_whole_decode_refuses_it() {
        // every pair of first characters, so every first byte: followed by text that decodes cleanly
        String alphabet = ALNUM + "+/-_";
        int decoded = 0;
        for (char a : alphabet.toCharArray()) {
            for (char b : alphabet.toCharArray()) {
                for (String tail : new String[] {"AgdXNlcjpwYXNzd29yZA", "gdXNlcjpwYXNzd29yZA", "qYdXNlcjpwYXNz", "qKlzZWNyZXQ6dmFsdWU"}) {
                    String text = " " + a + b + tail + " ";
                    decoded += assertSameViews(View.root(text.toCharArray(), text.length()), false, text);
                }
            }
        }
        assertThat(decoded).isGreaterThan(100);
    }

    @Test
    void asked_for_a_stretch_it_gives_every_run_reaching_into_it_and_no_other() {
        Random random = new Random(31);
        int kept = 0;
        int dropped = 0;
        for (int round = 0; round < 3_000; round++) {
            String text = randomText(random);
            View root = View.root(text.toCharArray(), text.length());
            int from = random.nextInt(text.length() + 1);
            int to = from + random.nextInt(text.length() - from + 1);
            List<View> all = new ArrayList<>();
            Base64Decoder.decode(root, false, all);
            List<View> stretch = new ArrayList<>();
            Base64Decoder.decode(root, false, from, to, stretch);
            // the stretch's views are the whole view's, in the same order, less some
            int next = 0;
            for (View s : stretch) {
                while (next < all.size() && !sameView(all.get(next), s)) {
                    assertThat(reaches(all.get(next), from, to)).as(text + " [" + from + ", " + to + ")").isFalse();
                    next++;
                    dropped++;
                }
                assertThat(next).as("a view the whole walk does not give").isLessThan(all.size());
                next++;
                kept++;
            }
            for (; next < all.size(); next++) {
                assertThat(reaches(all.get(next), from, to)).as(text + " [" + from + ", " + to + ")").isFalse();
                dropped++;
            }
        }
        assertThat(kept).isGreaterThan(100);
        assertThat(dropped).isGreaterThan(100);
    }

    /** Whether the characters a decoded view came from overlap {@code [from, to)} of its parent. */
    private static boolean reaches(View d, int from, int to) {
        int[] span = d.toSegment(0, d.length);
        return span[0] < to && span[1] > from;
    }

    private static boolean sameView(View a, View b) {
        return Arrays.equals(Arrays.copyOf(a.text, a.length), Arrays.copyOf(b.text, b.length))
                && Arrays.equals(a.toSegment(0, a.length), b.toSegment(0, b.length));
    }

    /** Compares the fast decoder's views of {@code v} with the plain one's; returns how many there were. */
    private static int assertSameViews(View v, boolean truncatedStart, String input) {
        List<View> fast = new ArrayList<>();
        Base64Decoder.decode(v, truncatedStart, fast);
        List<View> plain = new ArrayList<>();
        PlainDecoders.base64(v, truncatedStart, plain);
        String as = input + " (truncated start: " + truncatedStart + ")";
        assertThat(fast).as(as).hasSameSizeAs(plain);
        for (int i = 0; i < fast.size(); i++) {
            View f = fast.get(i);
            View p = plain.get(i);
            assertThat(f.decoding).as(as).isEqualTo(Decoding.BASE64);
            assertThat(f.parent).as(as).isSameAs(v);
            assertThat(new String(f.text, 0, f.length)).as(as).isEqualTo(new String(p.text, 0, p.length));
            for (int c = 0; c < f.length; c++) {
                assertThat(f.toSegment(c, c + 1)).as(as).containsExactly(p.toSegment(c, c + 1));
            }
            assertThat(f.toSegment(0, f.length)).as(as).containsExactly(p.toSegment(0, p.length));
        }
        return fast.size();
    }

    /** The text followed by base64 characters past the view's end, which no walk may read. */
    private static char[] withTail(String text, Random random) {
        char[] buffer = Arrays.copyOf(text.toCharArray(), text.length() + random.nextInt(24));
        Arrays.fill(buffer, text.length(), buffer.length, 'Q');
        return buffer;
    }

    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int pieces = random.nextInt(40);
        for (int i = 0; i < pieces; i++) {
            int kind = random.nextInt(10);
            switch (kind) {
                case 0, 1 -> sb.append(randomOf(random, "abcdefghijklmnopqrstuvwxyz", 1 + random.nextInt(12)));
                case 2 -> sb.append(randomOf(random, HEX, 1 + random.nextInt(70)));
                case 3 -> sb.append("tsk_").append(randomOf(random, ALNUM, random.nextInt(30)));
                case 4 -> sb.append("/api/v2/orders/").append(random.nextInt(100_000));
                case 5, 6 -> sb.append(encoded(random, 1 + random.nextInt(80)));
                case 7 -> sb.append(HEX_TEXT[random.nextInt(HEX_TEXT.length)]);
                default -> {
                }
            }
            // runs often meet without a separator: a hex run that goes on as base64, and the other way round
            if (random.nextInt(3) != 0) {
                sb.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
            }
        }
        return sb.toString();
    }

    /** Base64 (standard or URL-safe, padded or not) of random text, sometimes cut at either end. */
    private static String encoded(Random random, int pieces) {
        StringBuilder plain = new StringBuilder();
        boolean controls = random.nextInt(4) == 0;
        while (plain.length() < pieces) {
            String piece = PLAIN_PIECES[random.nextInt(PLAIN_PIECES.length)];
            boolean control = piece.equals("\u0000") || piece.equals("\u0001") || piece.equals("\u007f");
            if (controls || !control) {
                plain.append(piece);
            }
        }
        byte[] bytes = plain.toString().getBytes(StandardCharsets.UTF_8);
        Base64.Encoder encoder = random.nextBoolean() ? Base64.getEncoder() : Base64.getUrlEncoder();
        String out = (random.nextBoolean() ? encoder : encoder.withoutPadding()).encodeToString(bytes);
        if (random.nextInt(4) == 0) {
            out = out.substring(random.nextInt(Math.min(5, out.length())));
        }
        if (random.nextInt(4) == 0) {
            out = out.substring(0, out.length() - random.nextInt(Math.min(5, out.length())));
        }
        return out;
    }

    private static String randomOf(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
