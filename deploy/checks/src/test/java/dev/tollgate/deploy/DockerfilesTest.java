package dev.tollgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/** deploy/docker/*.Dockerfile read line by line (no Docker engine here to build them). */
class DockerfilesTest {

    static final List<Services.Service> ALL = Services.ALL;
    static final List<Services.Service> SPRING = Services.SPRING;

    @ParameterizedTest
    @FieldSource("ALL")
    void shouldBuildOnlyTheServicesModulesInASeparateStageWhenBuildingTheImage(Services.Service s) {
        Dockerfile d = dockerfile(s);
        assertThat(d.stages()).as(s.name() + ": multi-stage").hasSizeGreaterThanOrEqualTo(2);
        assertThat(d.build().name()).isEqualTo("build");
        assertThat(d.build().from()).startsWith("maven:").contains("temurin-17");
        assertThat(d.build().args("RUN")).as(s.name())
                .anyMatch(r -> r.contains("./mvnw") && r.contains("-pl " + s.module() + " -am package -DskipTests"));
        assertThat(d.runtime().from()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(d.runtime().args("COPY")).as("the runtime stage takes the build's output")
                .anyMatch(c -> c.startsWith("--from=build"));
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void shouldRunAsANumericNonRootUserWhenTheContainerStarts(Services.Service s) {
        List<String> users = dockerfile(s).runtime().args("USER");
        assertThat(users).as(s.name()).isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        // Numeric, so Kubernetes' runAsNonRoot can verify it; the chart runs as the same uid.
        assertThat(user).matches("[0-9]+").isNotEqualTo("0").isEqualTo("10001");
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void shouldExposeAndHealthCheckTheServicesOwnPortWhenItServes(Services.Service s) {
        Dockerfile.Stage rt = dockerfile(s).runtime();
        if (s.port() == 0) {
            assertThat(rt.args("EXPOSE")).as(s.name() + " serves nothing").isEmpty();
            assertThat(rt.args("HEALTHCHECK")).isEmpty();
            return;
        }
        assertThat(rt.args("EXPOSE")).as(s.name()).containsExactly(Integer.toString(s.port()));
        assertThat(rt.args("HEALTHCHECK")).hasSize(1);
        assertThat(rt.args("HEALTHCHECK").get(0))
                .contains("CMD [\"healthcheck\", \"" + s.port() + "\", \"" + s.healthPath() + "\"]");
        assertThat(rt.args("COPY")).anyMatch(c -> c.contains("deploy/docker/healthcheck.sh /usr/local/bin/healthcheck"));
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void shouldSizeTheJvmForContainersWhenStarting(Services.Service s) {
        List<String> entry = dockerfile(s).runtime().args("ENTRYPOINT");
        assertThat(entry).hasSize(1);
        assertThat(entry.get(0)).startsWith("[\"java\"").contains("\"-XX:+ExitOnOutOfMemoryError\"");
        if (s.port() != 0) {
            // The relay's open streams need more room outside the heap (HelmChartTest checks what is left).
            assertThat(entry.get(0)).contains(s == Services.RELAY ? "\"-XX:MaxRAMPercentage=60\""
                    : "\"-XX:MaxRAMPercentage=75\"");
        }
    }

    @ParameterizedTest
    @FieldSource("SPRING")
    void shouldRunTheLayeredSpringBootJarWhenItIsASpringService(Services.Service s) {
        Dockerfile d = dockerfile(s);
        String jar = s.module() + "/target/" + finalName(s.module()) + ".jar";
        assertThat(d.build().args("RUN")).as(s.name())
                .anyMatch(r -> r.contains("java -Djarmode=tools -jar " + jar + " extract --layers --launcher"));
        assertThat(d.runtime().args("COPY")).containsSubsequence(
                "--from=build /layers/dependencies/ ./", "--from=build /layers/spring-boot-loader/ ./",
                "--from=build /layers/snapshot-dependencies/ ./", "--from=build /layers/application/ ./");
        assertThat(d.runtime().args("ENTRYPOINT").get(0)).endsWith("\"org.springframework.boot.loader.launch.JarLauncher\"]");
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void shouldSetOnlyVariablesTheServiceReadsWhenTheImageDefinesEnvironment(Services.Service s) {
        for (String env : dockerfile(s).runtime().args("ENV")) {
            Matcher m = Pattern.compile("(TOLLGATE_[A-Z0-9_]+)=").matcher(env);
            while (m.find()) {
                assertThat(s.reads()).as(s.name() + " reads " + m.group(1)).containsKey(m.group(1));
            }
        }
    }

    @Test
    void shouldPointTheRelaysSpoolAtAVolumeWhenBuildingTheRelay() {
        Dockerfile.Stage rt = dockerfile(Services.RELAY).runtime();
        assertThat(rt.args("ENV")).anyMatch(e -> e.contains("TOLLGATE_SPOOL_DIR=/var/lib/tollgate/spool"));
        assertThat(rt.args("VOLUME")).containsExactly("/var/lib/tollgate/spool");
        assertThat(rt.args("RUN")).anyMatch(r -> r.contains("chown -R 10001:10001 /var/lib/tollgate"));
    }

    @Test
    void shouldShipTheSimulatorsThinJarWithItsLibrariesWhenBuildingTheSimulator() {
        Dockerfile.Stage rt = dockerfile(Services.SIMULATOR).runtime();
        assertThat(rt.args("COPY")).contains("--from=build /src/deploy/simulator/target/lib/ ./lib/",
                "--from=build /src/deploy/simulator/target/simulator.jar ./simulator.jar");
        assertThat(rt.args("ENV")).anyMatch(e -> e.contains("TOLLGATE_SIMULATOR_HOST=0.0.0.0"));
    }

    @Test
    void shouldBuildTheWebUiWithNodeAndShipItInTheJarWhenBuildingTheAdminImage() {
        Dockerfile d = dockerfile(Services.ADMIN);
        Dockerfile.Stage webui = d.stage("webui");
        assertThat(webui.from()).startsWith("node:");
        assertThat(webui.args("RUN")).anyMatch(r -> r.contains("npm ci"))
                .anyMatch(r -> r.contains("npm run build") && r.contains("--outDir /webui-dist"));
        assertThat(d.build().args("COPY")).contains("--from=webui /webui-dist/ admin-service/src/main/resources/static/");
        assertThat(d.build().args("RUN")).as("Maven must not look for npm in the Maven image")
                .anyMatch(r -> r.contains("-Dwebui.skip=true"));
        assertThat(Repo.path("admin-service/src/main/webui/package-lock.json")).exists();
    }

    @Test
    void shouldRunTheSeedMainWhenBuildingTheSeed() {
        String entry = dockerfile(Services.SEED).runtime().args("ENTRYPOINT").get(0);
        assertThat(entry).contains("\"dev.tollgate.local.SeedMain\"");
        assertThat(Repo.path("deploy/local/src/main/java/dev/tollgate/local/SeedMain.java")).exists();
    }

    @Test
    void shouldKeepModulesAndDropSecretsWhenSendingTheBuildContext() {
        List<String> ignore = Repo.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore).contains(".git", "**/target", ".env", ".tollgate", "deploy/.tools");
        // Maven reads every module of the root pom even with -pl: none may be left out of the context.
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Repo.read("pom.xml"));
        while (m.find()) {
            String module = m.group(1);
            assertThat(ignore).as("module " + module).noneMatch(p -> !p.startsWith("!")
                    && (module.equals(p) || module.startsWith(p + "/") || p.equals(module + "/pom.xml")));
        }
    }

    @Test
    void shouldCheckHealthWithoutCurlWhenTheBaseImageHasNone() throws Exception {
        String script = Repo.read("deploy/docker/healthcheck.sh");
        String code = String.join("\n", script.lines().filter(l -> !l.strip().startsWith("#")).toList());
        assertThat(script).startsWith("#!/usr/bin/env bash");
        assertThat(code).contains("/dev/tcp/127.0.0.1/").doesNotContain("curl ").doesNotContain("wget ");
        assertThat(Files.isExecutable(Repo.path("deploy/docker/healthcheck.sh"))).isTrue();
    }

    private static Dockerfile dockerfile(Services.Service s) {
        return Dockerfile.parse(Repo.read(s.dockerfile()));
    }

    /** The module's jar name: its pom's finalName, where ${project.artifactId} means the artifactId. */
    private static String finalName(String module) {
        String pom = Repo.read(module + "/pom.xml");
        String body = pom.substring(pom.indexOf("</parent>"));
        Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(body);
        assertThat(artifact.find()).isTrue();
        Matcher fn = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        return fn.find() ? fn.group(1).replace("${project.artifactId}", artifact.group(1)) : artifact.group(1)
                + "-0.1.0-SNAPSHOT";
    }
}
