package dev.tollgate.local.bench;

import dev.tollgate.local.Seeder;
import dev.tollgate.local.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The relay's overhead with accounting on ({@code ./tollgate bench relay}): the simulator, a real Kafka broker and
 * MariaDB, the ledger, the admin service and one relay; then the same load three ways in the same run: straight to
 * the simulator ("direct"), through nginx ({@code proxy_pass} with keepalive: the floor of any proxy hop) and
 * through the relay. Reports throughput, latency percentiles, the latency each hop adds over direct, CPU time per
 * request of the hop (from /proc) and the relay's memory; then 1,000 streams held open, change propagation from
 * an admin write to the relay, and that the ledger applied one usage event per request.
 *
 * <p>Settings (environment): BENCH_SECONDS (15), BENCH_CONNECTIONS (50), BENCH_REPS (2), BENCH_STREAM_CONCURRENCY
 * (20), BENCH_OPEN_STREAMS (1000), BENCH_CHANGES (100), BENCH_PIN (1: relay on the last core, everything else on
 * the others; 0: no pinning), BENCH_ONLY (comma list of plain, stream, open, propagation), BENCH_RELAY_OPTS (the
 * relay's JVM options), BENCH_JFR (set: record the relay with JFR into .tollgate/bench-relay/relay.jfr),
 * BENCH_KEEP (set: keep the stack up after the run, for profiling by hand).
 */
public final class RelayBench {

    private static final int RELAY_PORT = 18280;
    private static final int ADMIN_PORT = 18281;
    private static final int LEDGER_PORT = 18282;
    private static final int SIMULATOR_PORT = 18290;
    private static final int NGINX_PORT = 18291;
    private static final int EMBEDDED_DB_PORT = 3309;
    private static final int KAFKA_PORT = 19292;
    private static final String DB_NAME = "tollgate_bench_relay";
    /**
     * A relay in a 512 MB container: a 256 MB heap leaves room for what is not heap (about 190 MB measured:
     * metaspace, code cache, threads, Netty's direct buffers). With 384 MB of heap the RSS reached 573 MB.
     */
    private static final String RELAY_OPTS = "-Xmx256m -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError";

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"You are terse.\"},{\"role\":\"user\",\"content\":\"Say hello in five words.\"}],\"max_tokens\":32";
    private static final String PLAIN_BODY = CHAT + "}";
    private static final String STREAM_BODY = CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

    private final Map<String, String> env = System.getenv();
    private final Path root = Path.of("").toAbsolutePath();
    private final Path state = root.resolve(".tollgate").resolve("bench-relay");
    private final int seconds = intSetting("BENCH_SECONDS", 15);
    private final int connections = intSetting("BENCH_CONNECTIONS", 50);
    private final int reps = intSetting("BENCH_REPS", 2);
    private final int streamConcurrency = intSetting("BENCH_STREAM_CONCURRENCY", 20);
    private final int openStreams = intSetting("BENCH_OPEN_STREAMS", 1000);
    private final int changes = intSetting("BENCH_CHANGES", 100);
    private final List<String> only = Arrays.asList(env.getOrDefault("BENCH_ONLY", "plain,stream,open,propagation")
            .split("\\s*,\\s*"));
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final boolean pin = cores >= 2 && intSetting("BENCH_PIN", 1) != 0;
    private final String relayCpus = Integer.toString(cores - 1);
    private final String otherCpus = cores <= 2 ? "0" : "0-" + (cores - 2);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Report report = new Report();

    private volatile BenchInfra infra;
    private volatile Stack stack;
    private volatile Nginx nginx;
    private Wrk wrk;
    private String relayAuth;
    private long relayRequests;

    public static void main(String[] args) throws Exception {
        RelayBench bench = new RelayBench();
        BenchInfra.runStopping(bench::run, bench::stopAll);
    }

    private synchronized void stopAll() {
        if (nginx != null) {
            nginx.close();
            nginx = null;
        }
        if (stack != null) {
            stack.stop();
            stack = null;
        }
        if (infra != null) {
            infra.close();
            infra = null;
        }
    }

    private void run() throws Exception {
        if (!Wrk.available()) {
            throw new IllegalStateException("wrk is not installed: apt-get install wrk (Debian/Ubuntu), brew install wrk");
        }
        Files.createDirectories(state);
        wrk = new Wrk(state, pin ? List.of("taskset", "-c", otherCpus) : List.of());
        infra = BenchInfra.start(env, state, EMBEDDED_DB_PORT, DB_NAME, KAFKA_PORT);
        stack = startStack();
        Seeder seeder = new Seeder(stack.adminUrl());
        Seeder.Result seeded = seeder.seed(stack.settings().adminPassword(), stack.simulatorUrl());
        seeder.call("POST", "/api/users/" + seeded.demoUserId() + "/topups",
                Map.of("amountMicros", 1_000_000_000L, "note", "benchmark credit"));
        relayAuth = "Bearer " + seeded.demoKey();
        awaitRelayServes();
        String nginxBinary = Nginx.binary();
        if (nginxBinary != null) {
            nginx = Nginx.start(nginxBinary, state.resolve("nginx"), NGINX_PORT, SIMULATOR_PORT, pinPrefix());
        } else {
            say("nginx is not installed (apt-get install nginx-light): no floor column");
        }
        report.machine = ProcStats.machine() + (pin ? "; relay pinned to CPU " + relayCpus + ", load generator, "
                + "simulator, nginx, ledger, admin, Kafka and MariaDB to CPU " + otherCpus : "; no pinning");
        arrange();
        report.relayOpts = relayOpts();
        warmUp();
        if (only.contains("plain")) {
            for (long latency : new long[] {0, 50}) {
                for (int rep = 1; rep <= reps; rep++) {
                    plain(latency, rep);
                }
            }
        }
        if (only.contains("stream")) {
            for (int rep = 1; rep <= reps; rep++) {
                streaming(rep);
            }
        }
        if (only.contains("open")) {
            holdOpen();
        }
        if (only.contains("propagation")) {
            propagation(seeder, seeded.demoUserId());
        }
        accounting();
        String table = report.render();
        System.out.println();
        System.out.println(table);
        Path out = state.resolve("relay-bench.md");
        Files.writeString(out, table);
        say("table written to " + root.relativize(out));
        if (env.containsKey("BENCH_KEEP")) {
            say("BENCH_KEEP: the stack stays up until Ctrl-C. relay " + relayUrl() + ", simulator "
                    + stack.simulatorUrl() + ", admin " + stack.adminUrl() + ", key " + relayAuth.substring(7));
            Thread.currentThread().join(); // until Ctrl-C
        }
    }

    // --- setup ---------------------------------------------------------------------------------

    private Stack startStack() {
        List<String> fast = List.of("-Xmx512m", "-XX:+UseParallelGC");
        Stack.Settings s = new Stack.Settings(root)
                .db(infra.dbHost, infra.dbPort, infra.dbName, infra.dbUser, infra.dbPassword)
                .kafka(infra.bootstrap)
                .topicPrefix("bench-relay-" + System.currentTimeMillis() + ".")
                .ports(RELAY_PORT, ADMIN_PORT, LEDGER_PORT, SIMULATOR_PORT)
                .withSimulator(true)
                .logDir(state.resolve("logs"))
                .jvmOptions(Stack.RELAY, relayOpts())
                .jvmOptions(Stack.SIMULATOR, fast)
                .jvmOptions(Stack.LEDGER, fast)
                .console(System.out, line -> line.contains(" ERROR ") || line.contains("APPLICATION FAILED"));
        say("starting simulator, ledger, relay and admin (relay JVM: " + String.join(" ", relayOpts()) + ")");
        return Stack.start(s);
    }

    private List<String> relayOpts() {
        List<String> opts = new ArrayList<>(Arrays.asList(env.getOrDefault("BENCH_RELAY_OPTS", RELAY_OPTS).trim()
                .split("\\s+")));
        if (env.containsKey("BENCH_JFR")) {
            opts.add("-XX:StartFlightRecording=filename=" + state.resolve("relay.jfr") + ",settings=profile,dumponexit=true");
        }
        return opts;
    }

    private List<String> pinPrefix() {
        return pin ? List.of("taskset", "-c", otherCpus) : List.of();
    }

    /**
     * Pins the relay to a core of its own and everything else to the others (taskset -a: every thread now;
     * threads started later inherit it), and raises every process of the run above other work on the machine
     * (Linux autogroup nice; needs root, else skipped): on a shared machine that keeps the numbers about the relay.
     */
    private void arrange() throws IOException, InterruptedException {
        long relay = stack.relay().pid();
        List<Long> others = new ArrayList<>(List.of(ProcessHandle.current().pid(), stack.simulator().pid(),
                stack.ledger().pid(), stack.admin().pid()));
        if (infra.kafkaPid() > 0) {
            others.add(infra.kafkaPid());
        }
        if (nginx != null) {
            others.add(nginx.pid());
            others.addAll(nginx.workers());
        }
        for (String name : List.of("mariadbd", "mysqld")) {
            Process p = new ProcessBuilder("pgrep", "-x", name).start();
            for (String pid : new String(p.getInputStream().readAllBytes()).trim().split("\\s+")) {
                if (!pid.isBlank()) {
                    others.add(Long.parseLong(pid));
                }
            }
            p.waitFor();
        }
        if (pin) {
            taskset(relayCpus, relay);
            for (long pid : others) {
                taskset(otherCpus, pid);
            }
        }
        int raised = 0;
        for (long pid : concat(relay, others)) {
            try {
                Files.writeString(Path.of("/proc/" + pid + "/autogroup"), "-19");
                raised++;
            } catch (IOException | RuntimeException e) {
                // not root, or no autogroup scheduling: run at the normal priority
            }
        }
        report.priority = raised > 0 ? "raised (autogroup nice -19) for " + raised + " processes" : "normal";
    }

    private static List<Long> concat(long first, List<Long> rest) {
        List<Long> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    private static void taskset(String cpus, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-cp", cpus, Long.toString(pid)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            say("could not pin pid " + pid + " (taskset failed); measuring anyway");
        }
    }

    /** The relay serves once its snapshot holds the seeded key and channels. */
    private void awaitRelayServes() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(relayUrl() + "/v1/chat/completions"))
                    .header("Authorization", relayAuth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(PLAIN_BODY)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                relayRequests++;
                return;
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the relay does not serve the seeded key: HTTP " + r.statusCode() + " "
                        + r.body());
            }
            Thread.sleep(200); // waiting for the seeded state to reach the relay, with a deadline
        }
    }

    /**
     * Until the JIT has settled: 5-second rounds at full speed until three in a row agree within 5 % (at least
     * 60 s, at most 240 s). C2 keeps compiling the relay's reactive stack for a long while: with a 10-second
     * warm-up the first measured runs showed a third of the steady throughput.
     */
    private void warmUp() throws Exception {
        say("warming up (JIT) until the relay's throughput is steady");
        simulator(0, 5, 0);
        List<Double> rounds = new ArrayList<>();
        long t0 = System.nanoTime();
        while (true) {
            Wrk.Result r = wrk.post(relayUrl() + "/v1/chat/completions", relayAuth, PLAIN_BODY, connections, 1, 5);
            relayRequests += r.requests();
            rounds.add(r.rps());
            double elapsed = (System.nanoTime() - t0) / 1e9;
            say(String.format("  %.0f s: %.0f req/s", elapsed, r.rps()));
            if (elapsed >= 240 || elapsed >= 60 && steady(rounds)) {
                break;
            }
            awaitJitQuiet();
        }
        awaitJitQuiet();
        wrk.post(directUrl(), "Bearer sk-simulator", PLAIN_BODY, connections, 1, 5);
        if (nginx != null) {
            wrk.post(nginx.url() + "/v1/chat/completions", "Bearer sk-simulator", PLAIN_BODY, connections, 1, 5);
        }
        simulator(0, 20, 10);
        relayRequests += new StreamLoad().closedLoop(relayUrl() + "/v1/chat/completions", relayAuth, STREAM_BODY,
                streamConcurrency, 10).ok();
    }

    /**
     * Lets the relay's JIT compilers finish their queue (their threads' CPU under 20 % of a core for half a second;
     * 30 s at most). Pinned to one core with the event loops, C2 gets little CPU under load and lags by minutes:
     * without this pause the measured runs were a third of the steady throughput, compiled code arriving mid-run.
     */
    private void awaitJitQuiet() throws InterruptedException {
        long pid = stack.relay().pid();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            long before = ProcStats.threadCpuNanos(pid, "C2 Compiler") + ProcStats.threadCpuNanos(pid, "C1 Compiler");
            Thread.sleep(500); // a sampling period, not a synchronisation
            long after = ProcStats.threadCpuNanos(pid, "C2 Compiler") + ProcStats.threadCpuNanos(pid, "C1 Compiler");
            if (after - before < TimeUnit.MILLISECONDS.toNanos(100)) {
                return;
            }
        }
    }

    /** The last three rounds within 5 % of their mean. */
    static boolean steady(List<Double> rounds) {
        if (rounds.size() < 3) {
            return false;
        }
        List<Double> last = rounds.subList(rounds.size() - 3, rounds.size());
        double mean = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return mean > 0 && last.stream().allMatch(r -> Math.abs(r - mean) / mean < 0.05);
    }

    // --- scenarios -----------------------------------------------------------------------------

    /** Non-streaming chat: direct, nginx, relay with the same load, one after the other. */
    private void plain(long latencyMs, int rep) throws Exception {
        simulator(latencyMs, 5, 0);
        String name = "chat, upstream " + latencyMs + " ms, " + connections + " conns (run " + rep + ")";
        say(name);
        Wrk.Result direct = wrk.post(directUrl(), "Bearer sk-simulator", PLAIN_BODY, connections, 1, seconds);
        report.plain(name, "direct", direct, direct, Double.NaN, 0);
        if (nginx != null) {
            long cpu0 = ProcStats.cpuNanos(nginx.workers());
            Wrk.Result r = wrk.post(nginx.url() + "/v1/chat/completions", "Bearer sk-simulator", PLAIN_BODY,
                    connections, 1, seconds);
            report.plain(name, "nginx", r, direct, perRequestUs(ProcStats.cpuNanos(nginx.workers()) - cpu0,
                    r.requests()), 0);
        }
        awaitJitQuiet();
        long pid = stack.relay().pid();
        long cpu0 = ProcStats.cpuNanos(pid);
        Wrk.Result r = wrk.post(relayUrl() + "/v1/chat/completions", relayAuth, PLAIN_BODY, connections, 1, seconds);
        double cpu = perRequestUs(ProcStats.cpuNanos(pid) - cpu0, r.requests());
        relayRequests += r.requests();
        report.plain(name, "relay", r, direct, cpu, ProcStats.rssBytes(pid));
        if (latencyMs == 50) {
            report.addedP50 = Math.max(report.addedP50, (r.p50Us() - direct.p50Us()) / 1000.0);
            report.addedP99 = Math.max(report.addedP99, (r.p99Us() - direct.p99Us()) / 1000.0);
            report.cpuAt50 = Math.max(report.cpuAt50, cpu);
        }
    }

    /** Streaming chat, 20 chunks 10 ms apart: time to first byte, and whether chunks come through one by one. */
    private void streaming(int rep) throws Exception {
        simulator(0, 20, 10);
        String name = "stream, 20 chunks 10 ms apart, " + streamConcurrency + " at a time (run " + rep + ")";
        say(name);
        StreamLoad load = new StreamLoad();
        StreamLoad.Result direct = load.closedLoop(directUrl(), "Bearer sk-simulator", STREAM_BODY, streamConcurrency,
                seconds);
        report.stream(name, "direct", direct, direct, Double.NaN);
        if (nginx != null) {
            long cpu0 = ProcStats.cpuNanos(nginx.workers());
            StreamLoad.Result r = load.closedLoop(nginx.url() + "/v1/chat/completions", "Bearer sk-simulator",
                    STREAM_BODY, streamConcurrency, seconds);
            report.stream(name, "nginx", r, direct, perRequestUs(ProcStats.cpuNanos(nginx.workers()) - cpu0,
                    r.streams().size()));
        }
        awaitJitQuiet();
        long pid = stack.relay().pid();
        long cpu0 = ProcStats.cpuNanos(pid);
        StreamLoad.Result r = load.closedLoop(relayUrl() + "/v1/chat/completions", relayAuth, STREAM_BODY,
                streamConcurrency, seconds);
        relayRequests += r.streams().size();
        report.stream(name, "relay", r, direct, perRequestUs(ProcStats.cpuNanos(pid) - cpu0, r.streams().size()));
        report.addedTtfbP99 = Math.max(report.addedTtfbP99, (r.ttfbUs(99) - direct.ttfbUs(99)) / 1000.0);
        report.bunched = Math.max(report.bunched, r.bunchedPercent(TimeUnit.MILLISECONDS.toNanos(3)));
    }

    /** Many streams open at once through the relay: its memory at the peak, and none dropped. */
    private void holdOpen() throws Exception {
        simulator(0, 20, 1000); // each stream lasts about 20 s
        say(openStreams + " streams held open through the relay (20 chunks, 1 s apart)");
        long pid = stack.relay().pid();
        System.gc();
        long rssBefore = ProcStats.rssBytes(pid);
        AtomicInteger open = new AtomicInteger();
        AtomicLong peakRss = new AtomicLong();
        AtomicInteger peakOpen = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(ProcStats.rssBytes(pid), Math::max);
                peakOpen.accumulateAndGet(open.get(), Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // sampling period
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long cpu0 = ProcStats.cpuNanos(pid);
        StreamLoad.Result r = new StreamLoad().holdOpen(relayUrl() + "/v1/chat/completions", relayAuth, STREAM_BODY,
                openStreams, 5, open);
        sampler.interrupt();
        sampler.join();
        relayRequests += r.streams().size();
        report.open(openStreams, peakOpen.get(), r, rssBefore, peakRss.get(),
                perRequestUs(ProcStats.cpuNanos(pid) - cpu0, r.streams().size()));
    }

    /**
     * Admin writes (half create a key, half disable one) and, for each, the time from sending it to the relay
     * acting on it: the new key served, the disabled one refused.
     */
    private void propagation(Seeder seeder, long userId) throws Exception {
        say(changes + " admin writes, each timed until the relay acts on it");
        long[] ms = new long[changes];
        List<String> pending = new ArrayList<>();
        List<Long> pendingIds = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            long t0 = System.nanoTime();
            if (pending.isEmpty()) {
                Map<String, Object> key = seeder.call("POST", "/api/keys", Map.of("userId", userId, "name", "prop-" + i));
                String secret = key.get("key").toString();
                awaitModels(secret, 200);
                pending.add(secret);
                pendingIds.add(((Number) key.get("id")).longValue());
            } else {
                seeder.call("PATCH", "/api/keys/" + pendingIds.get(0), Map.of("enabled", false));
                awaitModels(pending.get(0), 401);
                pending.clear();
                pendingIds.clear();
            }
            ms[i] = (System.nanoTime() - t0) / 1000;
        }
        report.propagation(ms);
    }

    /** Polls the relay's model list with a key until it answers {@code status} (1 ms apart; 10 s at most). */
    private void awaitModels(String key, int status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpRequest request = HttpRequest.newBuilder(URI.create(relayUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + key).build();
        while (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != status) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the relay did not act on an admin write within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the poll's resolution
        }
    }

    /** Accounting was on: the ledger applies one usage event per request the relay answered. */
    private void accounting() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long applied = 0;
        while (System.nanoTime() < end) {
            applied = countApplied();
            if (applied >= relayRequests) {
                break;
            }
            Thread.sleep(500); // waiting for the ledger to drain, with a deadline
        }
        report.accounting(relayRequests, applied);
    }

    private long countApplied() throws SQLException {
        try (Connection c = infra.connect();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM request_log");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // --- small things --------------------------------------------------------------------------

    private void simulator(long latencyMs, int chunks, long chunkDelayMs) throws Exception {
        String body = "{\"latencyMs\":" + latencyMs + ",\"chunks\":" + chunks + ",\"chunkDelayMs\":" + chunkDelayMs + "}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl() + "/_sim/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("simulator config refused: " + r.statusCode() + " " + r.body());
        }
    }

    private String relayUrl() {
        return stack.relayUrl();
    }

    private String directUrl() {
        return stack.simulatorUrl() + "/v1/chat/completions";
    }

    private static double perRequestUs(long cpuNanos, long requests) {
        return requests == 0 ? Double.NaN : cpuNanos / 1000.0 / requests;
    }

    private int intSetting(String name, int fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private static void say(String line) {
        BenchInfra.say(line);
    }
}
