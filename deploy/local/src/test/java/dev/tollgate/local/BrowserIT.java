package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.simulator.Simulator;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web UI in a real browser: the three services from their jars (the admin jar serving the UI), the simulator
 * upstream, and {@code admin-service/src/main/webui/e2e/browser-test.mjs} driving Debian's Chromium through
 * playwright-core. Skipped, with the reason, where Chromium, Node or the UI's npm packages are missing.
 * Screenshots and the script's result land in {@code deploy/local/target/browser/}.
 */
class BrowserIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(5);
    private static final String ADMIN_PASSWORD = "browser-admin-pass";
    static final String LOG_ROWS_ENV = "TOLLGATE_BROWSER_LOG_ROWS";

    private static Path root;
    private static Path webui;
    private static Path out;
    private static TestDatabase db;
    private static Simulator sim;
    private static Stack stack;

    @BeforeAll
    static void startEverything() throws Exception {
        root = TestPorts.repoRoot();
        webui = root.resolve("admin-service/src/main/webui");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assumeTrue(Files.isExecutable(Path.of(chromium)), "browser tests skipped: no Chromium at " + chromium
                + " (apt-get install chromium, as .ci/run does, or set CHROMIUM)");
        assumeTrue(commandWorks("node", "--version"), "browser tests skipped: node is not on PATH");
        assumeTrue(Files.isDirectory(webui.resolve("node_modules/playwright-core")), "browser tests skipped: "
                + "playwright-core is not installed in " + webui + " (run npm ci there; the admin-service build does)");
        assumeTrue(servesUi(root.resolve("admin-service/target/admin-service.jar")), "browser tests skipped: "
                + "admin-service.jar holds no web UI (built with -Dwebui.skip=true)");

        out = root.resolve("deploy/local/target/browser");
        Files.createDirectories(out);
        db = TestDatabase.create();
        sim = Simulator.start(0);
        Stack.Settings settings = new Stack.Settings(root)
                .db(db.host(), db.port(), db.name(), db.user(), db.password())
                .kafka(TestKafka.bootstrapServers())
                .topicPrefix(TestKafka.uniquePrefix())
                .secrets("browser-session-" + UUID.randomUUID(), "browser-master-" + UUID.randomUUID(), ADMIN_PASSWORD)
                .ports(TestPorts.freePort(), TestPorts.freePort(), TestPorts.freePort(), TestPorts.freePort())
                .relayId("browser-relay")
                .logDir(out.resolve("logs"))
                .console(System.out, ServiceProcess.DEFAULT_ECHO);
        stack = Stack.start(settings);
        seedRequestLog(Long.parseLong(System.getenv().getOrDefault(LOG_ROWS_ENV, "0")));
    }

    /**
     * {@value #LOG_ROWS_ENV}=1000000 fills the request log with that many rows (spread over the last 30 days, other
     * users) before the pages are timed, to see the log pages on a big table; CI runs without it.
     */
    private static void seedRequestLog(long rows) throws Exception {
        if (rows <= 0) {
            return;
        }
        long started = System.nanoTime();
        String digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        long chunk = 100_000;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (long base = 0; base < rows; base += chunk) {
                long n = Math.min(chunk, rows - base);
                st.executeUpdate("INSERT INTO request_log (day, request_id, user_id, key_id, channel_id, model, "
                        + "model_served, input_tokens, output_tokens, cost_micros, status, http_status, latency_ms, "
                        + "ttft_ms, at) SELECT DATE(t.at), CONCAT('seed-', t.n), 1000 + t.n % 500, 5000 + t.n % 2000, "
                        + "1, 'gpt-seed', 'gpt-seed', 100 + t.n % 900, 10 + t.n % 300, 100 + t.n % 5000, "
                        + "IF(t.n % 50 = 0, 'upstream_error', 'success'), IF(t.n % 50 = 0, 502, 200), 200 + t.n % 3000, "
                        + "100 + t.n % 800, t.at FROM (SELECT x.n, UTC_TIMESTAMP(3) - INTERVAL (x.n % 2592000) SECOND "
                        + "- INTERVAL 1 HOUR AS at FROM (SELECT " + base + " + a.d + 10 * b.d + 100 * c.d + 1000 * e.d "
                        + "+ 10000 * f.d + 100000 * g.d AS n FROM " + digits + " a, " + digits + " b, " + digits
                        + " c, " + digits + " e, " + digits + " f, " + digits + " g) x WHERE x.n < " + (base + n)
                        + ") t");
            }
        }
        System.out.printf("browser: seeded %,d request log rows in %d s%n", rows,
                (System.nanoTime() - started) / 1_000_000_000);
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void shouldRunTheAdminAndCustomerJourneysInChromium() throws Exception {
        Path resultFile = out.resolve("result.json");
        Files.deleteIfExists(resultFile);
        ProcessBuilder pb = new ProcessBuilder("node", "e2e/browser-test.mjs")
                .directory(webui.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("browser-test.log").toFile());
        pb.environment().putAll(Map.of(
                "ADMIN_URL", stack.adminUrl(),
                "ADMIN_PASSWORD", ADMIN_PASSWORD,
                "SIMULATOR_URL", sim.baseUrl(),
                "SCREENSHOT_DIR", out.resolve("screenshots").toString(),
                "RESULT_FILE", resultFile.toString()));
        Process script = pb.start();
        boolean finished = script.waitFor(SCRIPT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            script.destroyForcibly();
        }
        String log = Files.readString(out.resolve("browser-test.log"));
        System.out.println(log);
        assertThat(finished).as("the browser script finished within " + SCRIPT_DEADLINE).isTrue();
        assertThat(resultFile).as(log).exists();
        JsonNode result = JSON.readTree(Files.readString(resultFile));

        List<String> failed = new ArrayList<>();
        result.path("steps").forEach(s -> {
            if (!s.path("ok").asBoolean()) {
                failed.add(s.path("name").asString() + ": " + s.path("error").asString());
            }
        });
        assertThat(failed).as(log).isEmpty();
        assertThat(result.path("ok").asBoolean()).as(result.path("error").asString("") + "\n" + log).isTrue();
        assertThat(script.exitValue()).isZero();
        assertThat(result.path("steps").size()).isEqualTo(21);
        assertThat(result.path("dialects").path("anthropic").asString()).contains("Anthropic messages");
        assertThat(result.path("dialects").path("gemini").asString()).contains("Gemini generateContent");
        assertThat(result.path("liveLatencyMs").asLong()).isBetween(0L, 2000L);
        assertThat(result.path("loadTimesMs").size()).isEqualTo(12);
        assertThat(result.path("customerLoadTimesMs").size()).isEqualTo(6);
        for (JsonNode shot : result.path("screenshots")) {
            assertThat(Path.of(shot.asString())).isNotEmptyFile();
        }
        System.out.println("browser: page load times (ms) admin " + result.path("loadTimesMs") + ", customer "
                + result.path("customerLoadTimesMs") + "; a playground call reached the live dashboard in "
                + result.path("liveLatencyMs") + " ms");
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean servesUi(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry("BOOT-INF/classes/static/index.html") != null;
        }
    }
}
