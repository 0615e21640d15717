package dev.tollgate.local.bench;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.local.ServiceProcess;
import dev.tollgate.local.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ledger's apply rate ({@code ./tollgate bench ledger}): a real Kafka broker and MariaDB (or those
 * of TOLLGATE_KAFKA_BOOTSTRAP / TOLLGATE_DB_HOST), the ledger jar as a child JVM, users, keys and a
 * price seeded in MySQL, then (a) N usage events produced as fast as possible, applied rate measured
 * from the first to the last batch committed, and (b) a fixed rate for a while, with each event's lag
 * from production to its batch's commit. Times come from the database: {@code request_log.at} is the
 * production time (the event's finishedAt) and {@code journal.at} the time its batch was written.
 *
 * <p>Settings (environment): BENCH_EVENTS (200000), BENCH_RATE (5000), BENCH_SECONDS (30), BENCH_USERS
 * (1000), BENCH_JFR (set: record the ledger with JFR into .tollgate/bench/ledger.jfr), BENCH_LEDGER_OPTS
 * (extra JVM options of the ledger).
 */
public final class LedgerBench {

    private static final String MODEL = "bench-model";
    private static final int LEDGER_PORT = 18182;
    private static final int EMBEDDED_DB_PORT = 3308;
    private static final int KAFKA_PORT = 19192;
    private static final String DB_NAME = "tollgate_bench";

    private final Map<String, String> env = System.getenv();
    private final Path root = Path.of("").toAbsolutePath();
    private final Path state = root.resolve(".tollgate").resolve("bench");
    private final int events = intSetting("BENCH_EVENTS", 200_000);
    private final int rate = intSetting("BENCH_RATE", 5_000);
    private final int seconds = intSetting("BENCH_SECONDS", 30);
    private final int users = intSetting("BENCH_USERS", 1_000);
    private final String topicPrefix = "bench-" + System.currentTimeMillis() + ".";

    private long[] keyOfUser;
    private long seq;

    private volatile BenchInfra infra;
    private volatile ServiceProcess ledger;

    public static void main(String[] args) throws Exception {
        LedgerBench bench = new LedgerBench();
        BenchInfra.runStopping(bench::run, bench::stopAll);
    }

    /** Stops what this run started, ledger first; idempotent. */
    private synchronized void stopAll() {
        if (ledger != null) {
            ledger.stop();
            ledger = null;
        }
        if (infra != null) {
            infra.close();
            infra = null;
        }
    }

    private void run() throws Exception {
        Files.createDirectories(state);
        infra = BenchInfra.start(env, state, EMBEDDED_DB_PORT, DB_NAME, KAFKA_PORT);
        String bootstrap = infra.bootstrap;
        ledger = startLedger(bootstrap);
        seed();
        Phase a = flood(bootstrap, ledger);
        Phase b = steady(bootstrap, ledger);
        report(a, b);
        List<String> problems = reconcile();
        System.out.println(problems.isEmpty() ? "reconciliation: 0 differences"
                : "reconciliation: DIFFERENCES " + problems);
    }

    // --- infrastructure --------------------------------------------------------------------

    private ServiceProcess startLedger(String bootstrap) {
        Stack.Settings settings = new Stack.Settings(root)
                .db(infra.dbHost, infra.dbPort, infra.dbName, infra.dbUser, infra.dbPassword)
                .kafka(bootstrap)
                .topicPrefix(topicPrefix)
                .ports(18180, 18181, LEDGER_PORT, 18190);
        List<String> cmd = new ArrayList<>(List.of(ServiceProcess.javaExecutable(), "-Xmx512m", "-XX:+UseParallelGC"));
        if (env.containsKey("BENCH_JFR")) {
            cmd.add("-XX:StartFlightRecording=filename=" + state.resolve("ledger.jfr") + ",settings=profile,dumponexit=true");
        }
        String extra = env.get("BENCH_LEDGER_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        Path jar = root.resolve("ledger-service/target/ledger-service.jar");
        cmd.addAll(List.of("-jar", jar.toString()));
        say("starting the ledger (" + String.join(" ", cmd.subList(1, cmd.size())) + ")");
        ServiceProcess ledger = ServiceProcess.start("ledger", cmd, settings.environment(), state.resolve("ledger.log"),
                null, System.out, line -> line.contains(" ERROR ") || line.contains("APPLICATION FAILED"));
        ledger.awaitReady("http://127.0.0.1:" + LEDGER_PORT + "/actuator/health/readiness", Duration.ofSeconds(180));
        return ledger;
    }

    /** Users with a generous balance (as a journal top-up, so reconciliation holds), one key each, one price. */
    private void seed() throws SQLException {
        keyOfUser = new long[users + 1];
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement user = c.prepareStatement("INSERT INTO users (id, username, password_hash, role, "
                    + "group_name, balance_micros, balance_version) VALUES (?, ?, 'x', 'customer', 'default', ?, 1)");
                 PreparedStatement journal = c.prepareStatement("INSERT INTO journal (user_id, kind, amount_micros, "
                         + "balance_after, ref, note) VALUES (?, 'topup', ?, ?, ?, 'bench')");
                 PreparedStatement key = c.prepareStatement("INSERT INTO api_keys (id, user_id, name, key_hash, prefix) "
                         + "VALUES (?, ?, 'bench', ?, 'tg-bench')")) {
                long balance = 1_000_000_000_000L;
                for (int u = 1; u <= users; u++) {
                    user.setLong(1, u);
                    user.setString(2, "bench-" + u);
                    user.setLong(3, balance);
                    user.addBatch();
                    journal.setLong(1, u);
                    journal.setLong(2, balance);
                    journal.setLong(3, balance);
                    journal.setString(4, "bench-seed-" + u);
                    journal.addBatch();
                    key.setLong(1, u);
                    key.setLong(2, u);
                    key.setString(3, String.format("%064x", u));
                    key.addBatch();
                    keyOfUser[u] = u;
                }
                user.executeBatch();
                journal.executeBatch();
                key.executeBatch();
            }
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO prices (model, version, input_micros_per_mtok, output_micros_per_mtok, "
                        + "cached_input_micros_per_mtok) VALUES ('" + MODEL + "', 1, 150000, 600000, 75000)");
            }
            c.commit();
        }
        say("seeded " + users + " users, " + users + " keys, 1 price");
    }

    // --- the two phases ----------------------------------------------------------------------

    /** What one phase measured. */
    private record Phase(String name, long events, double producedPerSec, double appliedPerSec, Lags lags,
            double batchAvg, double cpuPercent) {
    }

    private record Lags(long p50Ms, long p99Ms, long maxMs) {
    }

    private Phase flood(String bootstrap, ServiceProcess ledger) throws Exception {
        say("phase a: producing " + events + " events as fast as possible");
        String relay = "bench-a";
        long cpu0 = ProcStats.cpuNanos(ledger.pid());
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < events; i++) {
                send(producer, relay, i);
            }
            producer.flush();
        }
        double produced = events / secondsSince(t0);
        awaitApplied(relay, events, Duration.ofMinutes(15));
        double cpu = (ProcStats.cpuNanos(ledger.pid()) - cpu0) / 1e9 / secondsSince(t0) * 100;
        return measure("a: flood", relay, events, produced, cpu);
    }

    private Phase steady(String bootstrap, ServiceProcess ledger) throws Exception {
        int total = rate * seconds;
        say("phase b: producing " + rate + " events/s for " + seconds + " s");
        String relay = "bench-b";
        long cpu0 = ProcStats.cpuNanos(ledger.pid());
        long t0 = System.nanoTime();
        long tickNanos = 10_000_000; // 10 ms ticks
        int perTick = Math.max(1, rate / 100);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            int sent = 0;
            long tick = 0;
            while (sent < total) {
                long due = t0 + tick * tickNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the producer, not a sync
                }
                for (int i = 0; i < perTick && sent < total; i++) {
                    send(producer, relay, sent++);
                }
                producer.flush();
                tick++;
            }
        }
        double produced = total / secondsSince(t0);
        awaitApplied(relay, total, Duration.ofMinutes(5));
        double cpu = (ProcStats.cpuNanos(ledger.pid()) - cpu0) / 1e9 / secondsSince(t0) * 100;
        return measure("b: " + rate + "/s", relay, total, produced, cpu);
    }

    private KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
    }

    /** One event of a user picked round-robin; finishedAt is now, so request_log.at is its production time. */
    private void send(KafkaProducer<String, byte[]> producer, String relay, int i) {
        long user = (i % users) + 1;
        Instant now = Instant.now();
        UsageEvent event = UsageEvent.builder()
                .requestId(Ids.uuidV7().toString()) // time-ordered, as the relay makes them
                .relayId(relay)
                .relaySeq(++seq)
                .keyId(keyOfUser[(int) user])
                .userId(user)
                .group("default")
                .channelId(1L)
                .modelAsked(MODEL)
                .modelServed(MODEL)
                .dialect("openai")
                .provider("openai")
                .priceVersion(1)
                .tokens(new TokenUsage(200 + (i % 50), i % 3 == 0 ? 64 : 0, 0, 100 + (i % 30), 0, 1, 0, 0))
                .status(UsageStatus.SUCCESS)
                .latencyMs(800)
                .ttftMs(120L)
                .startedAt(now.minusMillis(800))
                .finishedAt(now)
                .build();
        producer.send(new ProducerRecord<>(topicPrefix + "tollgate.usage.v1", Long.toString(user),
                EventCodec.encode(event)));
    }

    private void awaitApplied(String relay, long expected, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        long last = -1;
        while (true) {
            long n = count(relay);
            if (n >= expected) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("only " + n + " of " + expected + " events applied after " + deadline);
            }
            if (n != last) {
                say("  applied " + n + " / " + expected);
                last = n;
            }
            Thread.sleep(1000); // progress polling of a benchmark, not a test's synchronisation
        }
    }

    private long count(String relay) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM request_log WHERE relay_id = ?")) {
            ps.setString(1, relay);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** From the database: first to last batch written, each row's lag, rows per batch. */
    private Phase measure(String name, String relay, long n, double produced, double cpu) throws SQLException {
        try (Connection c = connect()) {
            double applySeconds;
            long batches;
            try (PreparedStatement ps = c.prepareStatement("SELECT TIMESTAMPDIFF(MICROSECOND, MIN(j.at), MAX(j.at)), "
                    + "COUNT(DISTINCT j.ref) FROM journal j WHERE j.kind = 'usage' AND j.ref IN "
                    + "(SELECT DISTINCT batch_ref FROM request_log WHERE relay_id = ?)")) {
                ps.setString(1, relay);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    applySeconds = rs.getLong(1) / 1e6;
                    batches = rs.getLong(2);
                }
            }
            long[] lags = new long[(int) n];
            int i = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT TIMESTAMPDIFF(MICROSECOND, r.at, j.at) "
                    + "FROM request_log r JOIN journal j ON j.ref = r.batch_ref AND j.user_id = r.user_id "
                    + "WHERE r.relay_id = ?")) {
                ps.setString(1, relay);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && i < lags.length) {
                        lags[i++] = rs.getLong(1);
                    }
                }
            }
            long[] sorted = Arrays.copyOf(lags, i);
            Arrays.sort(sorted);
            Lags l = sorted.length == 0 ? new Lags(0, 0, 0)
                    : new Lags(sorted[(int) (sorted.length * 0.50)] / 1000,
                            sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1000,
                            sorted[sorted.length - 1] / 1000);
            double applied = applySeconds <= 0 ? Double.NaN : n / applySeconds;
            return new Phase(name, n, produced, applied, l, batches == 0 ? 0 : (double) n / batches, cpu);
        }
    }

    private void report(Phase... phases) {
        System.out.println();
        System.out.printf("%-12s %9s %12s %12s %9s %9s %9s %10s %10s%n", "phase", "events", "produced/s",
                "applied/s", "lag p50", "lag p99", "lag max", "batch avg", "ledger CPU");
        for (Phase p : phases) {
            System.out.printf("%-12s %9d %12.0f %12.0f %7d ms %6d ms %6d ms %10.0f %9.0f%%%n", p.name(), p.events(),
                    p.producedPerSec(), p.appliedPerSec(), p.lags().p50Ms(), p.lags().p99Ms(), p.lags().maxMs(),
                    p.batchAvg(), p.cpuPercent());
        }
        System.out.println("(applied/s: events / (last − first batch commit); lag: production → its batch written; "
                + "CPU: % of one core, " + Runtime.getRuntime().availableProcessors() + " cores here)");
    }

    /** The ledger's own check, over its actuator endpoint. */
    private List<String> reconcile() {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + LEDGER_PORT + "/actuator/reconciliation")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return body.contains("\"differences\":[]") ? List.of() : List.of(body);
        } catch (Exception e) {
            return List.of("reconciliation endpoint failed: " + e);
        }
    }

    // --- small things -------------------------------------------------------------------------

    private Connection connect() throws SQLException {
        return infra.connect();
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private int intSetting(String name, int fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private static void say(String line) {
        BenchInfra.say(line);
    }
}
