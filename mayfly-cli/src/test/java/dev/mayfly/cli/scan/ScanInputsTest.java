package dev.mayfly.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which inputs a scan reads, what it skips and says it skipped, and how it sniffs binary files. */
class ScanInputsTest {
    @TempDir
    Path dir;

    private static ScanInputs resolve(List<String> paths) {
        return ScanInputs.resolve(paths, s -> s);
    }

    @Test
    void noPathOrADashIsStdinOnce() {
        assertThat(resolve(List.of()).inputs()).extracting(ScanInputs.Input::name).containsExactly("-");
        assertThat(resolve(List.of("-", "-")).inputs()).hasSize(1).allMatch(ScanInputs.Input::isStdin);
    }

    @Test
    void directoriesAreWalkedSortedWithoutGitSymlinksOrSpecialFiles() throws Exception {
        Files.createDirectories(dir.resolve("b/deeper"));
        Files.createDirectories(dir.resolve(".git/objects"));
        Files.writeString(dir.resolve("b/deeper/z.log"), "z");
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.writeString(dir.resolve(".git/config"), "c");
        Files.writeString(dir.resolve(".git/objects/x"), "x");
        Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("a.txt"));

        ScanInputs in = resolve(List.of(dir.toString()));

        assertThat(in.inputs()).extracting(ScanInputs.Input::name)
                .containsExactly(dir.resolve("a.txt").toString(), dir.resolve("b/deeper/z.log").toString());
        assertThat(in.inputs()).noneMatch(ScanInputs.Input::named);
        assertThat(in.skipped()).containsExactly(new ScanInputs.Skipped(dir.resolve(".git").toString(), "git_directory"),
                new ScanInputs.Skipped(dir.resolve("link.txt").toString(), "symlink"));
    }

    @Test
    void aDirectoryNamedThroughASymlinkIsWalkedUnderTheNameGiven() throws Exception {
        Files.createDirectories(dir.resolve("real/sub"));
        Files.writeString(dir.resolve("real/sub/a.log"), "a");
        Path link = Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
        assertThat(resolve(List.of(link.toString())).inputs()).extracting(ScanInputs.Input::name)
                .containsExactly(link.resolve("sub/a.log").toString());
    }

    @Test
    void aMissingPathIsShownThroughTheMask() {
        assertThatThrownBy(() -> ScanInputs.resolve(List.of("/no/such/secret-file"), s -> s.replace("secret", "******")))
                .hasMessage("No such file or directory: /no/such/******-file");
    }

    @Test
    void namedFilesAreNamedAsGivenAndMissingOnesAreNotFound() throws Exception {
        Path f = Files.writeString(dir.resolve("one.log"), "x");
        assertThat(resolve(List.of(f.toString())).inputs()).singleElement()
                .satisfies(i -> assertThat(i.named()).isTrue()).extracting(ScanInputs.Input::name).isEqualTo(f.toString());
        assertThatThrownBy(() -> resolve(List.of(f.toString(), dir.resolve("nope.log").toString())))
                .isInstanceOf(MayflyException.class)
                .satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("nope.log");
    }

    @Test
    void binaryFilesFoundByTheWalkAreSkippedUnlessAskedButNamedOnesAreScanned() throws Exception {
        String secret = Planted.githubPat(1);
        byte[] binary = ("\0\1\2 blob " + secret + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("core.dump"), binary);
        Files.writeString(dir.resolve("app.log"), "token=" + secret + "\n");
        var scanner = new ScannerOptions().scanner();
        var stdin = new ByteArrayInputStream(new byte[0]);

        ScanReport walked = new InputScanner(scanner, false, stdin).scan(resolve(List.of(dir.toString())));
        assertThat(walked.findings()).extracting(f -> f.source()).containsExactly(dir.resolve("app.log").toString());
        assertThat(walked.skipped()).containsExactly(new ScanInputs.Skipped(dir.resolve("core.dump").toString(), "binary"));

        ScanReport all = new InputScanner(scanner, true, stdin).scan(resolve(List.of(dir.toString())));
        assertThat(all.findings()).hasSize(2);
        assertThat(all.skipped()).isEmpty();

        ScanReport named = new InputScanner(scanner, false, stdin)
                .scan(resolve(List.of(dir.resolve("core.dump").toString())));
        assertThat(named.findings()).singleElement().satisfies(f -> assertThat(f.ruleId()).isEqualTo("github-pat"));
    }

    @Test
    void sniffingLeavesTheStreamWhereItWas() throws Exception {
        byte[] text = "a".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        var in = new java.io.BufferedInputStream(new ByteArrayInputStream(text), 64 * 1024);
        assertThat(InputScanner.looksBinary(in)).isFalse();
        assertThat(in.readAllBytes()).hasSize(20_000);
        byte[] late = text.clone();
        late[InputScanner.SNIFF_BYTES + 10] = 0;
        assertThat(InputScanner.looksBinary(new java.io.BufferedInputStream(new ByteArrayInputStream(late)))).as("git's window").isFalse();
    }
}
