package dev.tollgate.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The services as child JVMs against a given MySQL and Kafka: optionally the simulator, then the
 * ledger, then relay and admin (started together). {@link #stop()} stops them in reverse order.
 * Used by {@link Launcher} and by end-to-end tests (with a TestDatabase and TestKafka):
 *
 * <pre>{@code
 * Stack.Settings s = new Stack.Settings(repoRoot)
 *         .db(db.host(), db.port(), db.name(), db.user(), db.password())
 *         .kafka(TestKafka.bootstrapServers()).topicPrefix(TestKafka.uniquePrefix())
 *         .ports(18080, 18081, 18082, 18090).logDir(Path.of("target/e2e-logs"));
 * try (Stack stack = Stack.start(s)) { ... stack.relayUrl() ... }
 * }</pre>
 */
public final class Stack implements AutoCloseable {

    public static final Duration READY_DEADLINE = Duration.ofSeconds(120);

    /** What the services are given (DESIGN "Configuration"). Defaults: the ./tollgate up ports. */
    public static final class Settings {
        Path repoRoot;
        Path logDir;
        String dbHost = "127.0.0.1";
        int dbPort = 3306;
        String dbName = "tollgate";
        String dbUser = "tollgate";
        String dbPassword = "";
        String kafkaBootstrap = "127.0.0.1:9092";
        String topicPrefix;
        String sessionSecret = Secrets.randomBase64(32);
        String masterKey = Secrets.randomBase64(32);
        String adminPassword = Secrets.randomPassword(20);
        int relayPort = 8080;
        int adminPort = 8081;
        int ledgerPort = 8082;
        int simulatorPort = 8090;
        String relayId = "local-relay-1";
        boolean simulator;
        Duration readyDeadline = READY_DEADLINE;
        PrintStream console = System.out;
        Predicate<String> echo = ServiceProcess.DEFAULT_ECHO;
        final Map<String, String> extraEnv = new LinkedHashMap<>();

        /** @param repoRoot the checkout; jars are found at {@code <service>/target/<service>.jar} under it */
        public Settings(Path repoRoot) {
            this.repoRoot = repoRoot.toAbsolutePath().normalize();
            this.logDir = this.repoRoot.resolve(".tollgate").resolve("logs");
        }

        public Settings db(String host, int port, String name, String user, String password) {
            dbHost = host;
            dbPort = port;
            dbName = name;
            dbUser = user;
            dbPassword = password == null ? "" : password;
            return this;
        }

        public Settings kafka(String bootstrap) {
            kafkaBootstrap = bootstrap;
            return this;
        }

        /** Env TOLLGATE_TOPIC_PREFIX for every service; null or empty for none. */
        public Settings topicPrefix(String prefix) {
            topicPrefix = prefix;
            return this;
        }

        public Settings secrets(String sessionSecret, String masterKey, String adminPassword) {
            this.sessionSecret = sessionSecret;
            this.masterKey = masterKey;
            this.adminPassword = adminPassword;
            return this;
        }

        public Settings ports(int relay, int admin, int ledger, int simulator) {
            relayPort = relay;
            adminPort = admin;
            ledgerPort = ledger;
            simulatorPort = simulator;
            return this;
        }

        public Settings relayId(String id) {
            relayId = id;
            return this;
        }

        /** Also start deploy/simulator (first). */
        public Settings withSimulator(boolean on) {
            simulator = on;
            return this;
        }

        public Settings logDir(Path dir) {
            logDir = dir.toAbsolutePath();
            return this;
        }

        public Settings readyDeadline(Duration d) {
            readyDeadline = d;
            return this;
        }

        /** Console for {@code [name] line} echoes (null: none) and which lines to echo. */
        public Settings console(PrintStream out, Predicate<String> which) {
            console = out;
            echo = which;
            return this;
        }

        /** Any further environment variable for every service (e.g. a Spring property). */
        public Settings env(String name, String value) {
            extraEnv.put(name, value);
            return this;
        }

        public String adminPassword() {
            return adminPassword;
        }

        /** The environment every service gets. */
        public Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("TOLLGATE_DB_HOST", dbHost);
            env.put("TOLLGATE_DB_PORT", Integer.toString(dbPort));
            env.put("TOLLGATE_DB_NAME", dbName);
            env.put("TOLLGATE_DB_USER", dbUser);
            env.put("TOLLGATE_DB_PASSWORD", dbPassword);
            env.put("TOLLGATE_KAFKA_BOOTSTRAP", kafkaBootstrap);
            if (topicPrefix != null && !topicPrefix.isEmpty()) {
                env.put("TOLLGATE_TOPIC_PREFIX", topicPrefix);
            }
            env.put("TOLLGATE_SESSION_SECRET", sessionSecret);
            env.put("TOLLGATE_MASTER_KEY", masterKey);
            env.put("TOLLGATE_ADMIN_PASSWORD", adminPassword);
            env.put("TOLLGATE_RELAY_PORT", Integer.toString(relayPort));
            env.put("TOLLGATE_ADMIN_PORT", Integer.toString(adminPort));
            env.put("TOLLGATE_LEDGER_PORT", Integer.toString(ledgerPort));
            env.put("TOLLGATE_SIMULATOR_PORT", Integer.toString(simulatorPort));
            env.put("TOLLGATE_RELAY_ID", relayId);
            env.putAll(extraEnv);
            return env;
        }

        Path jar(String module, String name) {
            return repoRoot.resolve(module).resolve("target").resolve(name + ".jar");
        }
    }

    private final Settings settings;
    private final List<ServiceProcess> started = Collections.synchronizedList(new ArrayList<>());
    private ServiceProcess simulator;
    private ServiceProcess ledger;
    private ServiceProcess relay;
    private ServiceProcess admin;

    private Stack(Settings settings) {
        this.settings = settings;
    }

    /** Starts and waits until every service is ready; on failure stops what it started and throws. */
    public static Stack start(Settings s) {
        Stack st = new Stack(s);
        try {
            st.startAll();
            return st;
        } catch (RuntimeException e) {
            st.stop();
            throw e;
        }
    }

    /** The four jars this needs, relative to the checkout. */
    public static List<String> jarPaths() {
        return List.of("deploy/simulator/target/simulator.jar", "ledger-service/target/ledger-service.jar",
                "relay-service/target/relay-service.jar", "admin-service/target/admin-service.jar");
    }

    private void startAll() {
        Map<String, String> env = settings.environment();
        if (settings.simulator) {
            simulator = launch("simulator", settings.jar("deploy/simulator", "simulator"), env);
        }
        ledger = launch("ledger", settings.jar("ledger-service", "ledger-service"), env);
        if (simulator != null) {
            simulator.awaitReady(simulatorUrl() + "/v1/models", settings.readyDeadline);
        }
        ledger.awaitReady(readiness(settings.ledgerPort), settings.readyDeadline);
        relay = launch("relay", settings.jar("relay-service", "relay-service"), env);
        admin = launch("admin", settings.jar("admin-service", "admin-service"), env);
        relay.awaitReady(readiness(settings.relayPort), settings.readyDeadline);
        admin.awaitReady(readiness(settings.adminPort), settings.readyDeadline);
    }

    private ServiceProcess launch(String name, Path jar, Map<String, String> env) {
        ServiceProcess p = ServiceProcess.start(name, jar, env, settings.logDir.resolve(name + ".log"),
                settings.console, settings.echo);
        started.add(p);
        return p;
    }

    private static String readiness(int port) {
        return "http://127.0.0.1:" + port + "/actuator/health/readiness";
    }

    public Settings settings() {
        return settings;
    }

    /** {@code http://127.0.0.1:<relay port>} (the OpenAI base URL is this + "/v1"). */
    public String relayUrl() {
        return "http://127.0.0.1:" + settings.relayPort;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + settings.adminPort;
    }

    public String ledgerUrl() {
        return "http://127.0.0.1:" + settings.ledgerPort;
    }

    public String simulatorUrl() {
        return "http://127.0.0.1:" + settings.simulatorPort;
    }

    public ServiceProcess simulator() {
        return simulator;
    }

    public ServiceProcess ledger() {
        return ledger;
    }

    public ServiceProcess relay() {
        return relay;
    }

    public ServiceProcess admin() {
        return admin;
    }

    /** Stops every started service in reverse start order (SIGTERM, 10 s, then SIGKILL). Idempotent. */
    public void stop() {
        List<ServiceProcess> copy;
        synchronized (started) {
            copy = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(copy);
        for (ServiceProcess p : copy) {
            p.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
