package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.client.testing.Agents;
import dev.mayfly.client.testing.Agents.Agent;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of {@code docs/client.md} are programs: each {@code java} block is compiled against this
 * module, then run in its own JVM against a real broker with the environment the docs describe
 * ({@code MAYFLY_URL}, {@code MAYFLY_CLIENT_ID}, {@code MAYFLY_CLIENT_SECRET}).
 */
class DocsExamplesTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static final Path DOC = Path.of("..", "docs", "client.md");
    static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    static final Pattern CLASS = Pattern.compile("public class (\\w+)");

    @TempDir
    static Path out;
    static Agent agent;
    static String classpath;

    @BeforeAll
    static void compile() throws IOException {
        agent = Agents.create(broker, List.of("orders:read", "orders:write"), List.of("https://orders.example"));
        // Without the entries that do not exist (this module has no main classes), which -Xlint:path flags.
        classpath = java.util.Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(java.io.File.pathSeparator)).filter(e -> Files.exists(Path.of(e)))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> e : examples().entrySet()) {
            Path f = out.resolve(e.getKey() + ".java");
            Files.writeString(f, e.getValue());
            files.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-classpath", classpath, "-d", out.toString(), "-Xlint:all", "-Werror"));
        args.addAll(files);
        assertThat(javac.run(null, null, null, args.toArray(new String[0]))).as("the docs' examples compile").isZero();
    }

    static Map<String, String> examples() throws IOException {
        String doc = Files.readString(DOC);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            Matcher c = CLASS.matcher(m.group(1));
            assertThat(c.find()).as("every java block is a whole program").isTrue();
            out.put(c.group(1), m.group(1));
        }
        return out;
    }

    @Test
    void everyJavaBlockIsAnExampleThatIsRunHere() throws IOException {
        assertThat(examples().keySet()).containsExactlyInAnyOrder("QuickStart", "TaskTokens", "ClassifyAnyResponse", "HandleFailures");
    }

    @Test
    void quickStart() throws Exception {
        assertThat(run("QuickStart")).contains("value=redacted").contains("200 {\"ok\":true");
    }

    @Test
    void taskTokens() throws Exception {
        assertThat(run("TaskTokens")).contains("invoice-run-42 [https://orders.example] [orders:read]").contains("true");
    }

    @Test
    void classifyAnyResponse() throws Exception {
        assertThat(run("ClassifyAnyResponse")).contains("DENIED REQUEST_PERMISSION", "INVALID FIX_CLOCK",
                "EXPIRED retryable=true", "UNKNOWN retryable=false");
    }

    @Test
    void handleFailures() throws Exception {
        assertThat(run("HandleFailures")).contains("denied, needs mayfly:admin, exit 8");
    }

    static String run(String mainClass) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", out + File.pathSeparator + classpath, mainClass)
                .redirectErrorStream(true);
        pb.environment().put("MAYFLY_URL", broker.issuer());
        pb.environment().put("MAYFLY_CLIENT_ID", agent.clientId());
        pb.environment().put("MAYFLY_CLIENT_SECRET", agent.clientSecret().reveal());
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as("no token in an example's output").doesNotContainPattern("eyJ[A-Za-z0-9_-]{8,}\\.eyJ");
        return output;
    }
}
