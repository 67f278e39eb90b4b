package dev.mayfly.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, checked without a container engine (none runs on the project's machines): its build
 * context holds what the build stage needs and no credentials; the runtime stage copies exactly the image
 * the release tarball is made of, runs as a non-root user, keeps state in a volume, and its HEALTHCHECK and
 * ENTRYPOINT name files that image has. That the healthcheck script works against a real broker is
 * TarballIT's part.
 */
class DockerfileIT {
    private static final String INSTALL_DIR = "/opt/mayfly/";

    static Path root;
    static Path image;
    static DockerfileInstructions docker;
    static DockerIgnore ignore;
    static int run;

    @BeforeAll
    static void read() throws Exception {
        root = Path.of(System.getProperty("repo.root")).toRealPath();
        image = Path.of(System.getProperty("dist.image")).toRealPath();
        docker = DockerfileInstructions.read(root.resolve("Dockerfile"));
        ignore = DockerIgnore.read(root.resolve(".dockerignore"));
        run = docker.lastStage();
    }

    @Test
    void buildsInOneStageAndRunsInAnother() {
        assertThat(docker.stages()).isEqualTo(2);
        assertThat(docker.one(0, "FROM")).matches("\\S*jdk\\S* AS build");
        assertThat(docker.one(run, "FROM")).doesNotContain("jdk").doesNotContain(" AS ");
    }

    @Test
    void theBuildStageBuildsTheReleaseImageFromTheWholeContext() {
        assertThat(docker.one(0, "WORKDIR")).isEqualTo("/src");
        assertThat(docker.one(0, "COPY")).isEqualTo(". .");
        assertThat(docker.one(0, "RUN")).contains("./mvnw ").contains("-pl mayfly-dist -am package");
        assertThat(root.resolve("mvnw")).isExecutable();
    }

    @Test
    void theContextKeepsEveryTrackedSourceAndLeavesOutBuildOutputAndCredentials() throws Exception {
        List<String> tracked = gitLsFiles();
        assertThat(tracked).as("git ls-files").contains("mvnw", "pom.xml", "mayfly-dist/pom.xml");
        assertThat(tracked.stream().filter(ignore::excludes).collect(Collectors.toList()))
                .as("tracked files the context would lack").isSubsetOf("Dockerfile", ".dockerignore");
        assertThat(List.of("mayfly-cli/target/mayfly.jar", "mayfly-dist/target/image/bin/mayfly", ".git/config",
                "admin.json", "agent.json", "agent-home/credentials.json", ".mayfly-home/master.key",
                "clients/typescript/node_modules/x/index.js", "clients/python/.venv/bin/python"))
                .allSatisfy(p -> assertThat(ignore.excludes(p)).as("%s excluded", p).isTrue());
    }

    @Test
    void theRuntimeStageCopiesTheImageTheTarballIsMadeOf() throws Exception {
        String copy = docker.one(run, "COPY");
        Matcher m = Pattern.compile("--from=build /src/(\\S+?)/? " + Pattern.quote(INSTALL_DIR)).matcher(copy);
        assertThat(m.matches()).as("COPY --from=build /src/<image>/ %s: %s", INSTALL_DIR, copy).isTrue();
        assertThat(root.resolve(m.group(1)).toRealPath()).isEqualTo(image);

        Set<String> inTarball = new TreeSet<>();
        Process tar = new ProcessBuilder("tar", "tzf", System.getProperty("dist.tarball")).start();
        for (String entry : new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String path = entry.substring(entry.indexOf('/') + 1);
            if (!path.isEmpty() && !path.endsWith("/")) {
                inTarball.add(path);
            }
        }
        assertThat(tar.waitFor()).isZero();
        Set<String> inImage;
        try (Stream<Path> files = Files.walk(image)) {
            inImage = files.filter(Files::isRegularFile).map(f -> image.relativize(f).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(inImage).as("the files the container gets are the tarball's").isEqualTo(inTarball);
    }

    @Test
    void runsAsANonRootUserWithStateInAVolume() {
        String user = docker.one(run, "USER");
        assertThat(user).matches("[1-9][0-9]{3,}:[1-9][0-9]{3,}");
        String uid = user.substring(0, user.indexOf(':'));
        String setup = docker.one(run, "RUN");
        assertThat(setup).contains("useradd --system --uid " + uid).contains("--shell /usr/sbin/nologin");

        Matcher home = Pattern.compile("MAYFLY_HOME=(\\S+)").matcher(String.join(" ", docker.in(run, "ENV")));
        assertThat(home.find()).as("ENV MAYFLY_HOME").isTrue();
        assertThat(DockerfileInstructions.execForm(docker.one(run, "VOLUME"))).containsExactly(home.group(1));
        assertThat(setup).contains("-o mayfly -g mayfly -m 0700 " + home.group(1));
    }

    @Test
    void healthcheckAndEntrypointNameFilesOfTheImage() {
        String health = docker.one(run, "HEALTHCHECK");
        List<String> check = DockerfileInstructions.execForm(health.substring(health.indexOf("CMD ") + 4));
        assertThat(image.resolve(inImage(check.get(0)))).isExecutable();
        assertThat(check.get(0)).endsWith("mayfly-healthcheck");

        List<String> entry = DockerfileInstructions.execForm(docker.one(run, "ENTRYPOINT"));
        assertThat(entry).hasSize(1);
        assertThat(image.resolve(inImage(entry.get(0)))).isExecutable();
        assertThat(image.resolve("runtime/bin/java")).isExecutable();

        List<String> cmd = DockerfileInstructions.execForm(docker.one(run, "CMD"));
        assertThat(cmd.get(0)).isEqualTo("server");
        String listen = cmd.get(cmd.indexOf("--listen") + 1);
        String port = listen.substring(listen.lastIndexOf(':') + 1);
        assertThat(docker.one(run, "EXPOSE")).isEqualTo(port);
        assertThat(check.get(1)).isEqualTo("127.0.0.1:" + port);
    }

    private static String inImage(String containerPath) {
        assertThat(containerPath).startsWith(INSTALL_DIR);
        return containerPath.substring(INSTALL_DIR.length());
    }

    private static List<String> gitLsFiles() throws Exception {
        Process git = new ProcessBuilder("git", "ls-files").directory(root.toFile()).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as("git ls-files").isZero();
        return List.of(out.split("\n"));
    }
}
