package dev.tollgate.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The services as child JVMs against a given MySQL and Kafka: optionally the simulator, then the
 * ledger, then the relay(s) and admin (started together). {@link #stop()} stops them in reverse order.
 * Fault tests may run several relays ({@link Settings#relays}), point one service at another MySQL
 * address ({@link Settings#dbFor}, e.g. a TcpProxy), and {@link #kill} a service and {@link #restart} it
 * with the same settings.
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
        /** Ports of relay-1..N when more than the one relay ({@link #relays(int...)}); empty: one relay. */
        List<Integer> relayPorts = List.of();
        boolean simulator;
        Duration readyDeadline = READY_DEADLINE;
        PrintStream console = System.out;
        Predicate<String> echo = ServiceProcess.DEFAULT_ECHO;
        final Map<String, String> extraEnv = new LinkedHashMap<>();
        /** Per service (ledger, relay, admin, simulator): variables over {@link #environment()}. */
        final Map<String, Map<String, String>> serviceEnv = new LinkedHashMap<>();
        /** Per service: JVM options instead of {@link ServiceProcess#DEV_JVM_OPTS} (a benchmark wants C2, not C1). */
        final Map<String, List<String>> jvmOptions = new LinkedHashMap<>();

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

        /**
         * Runs one relay per port, with ids {@code relay-1..N} (process names the same), each with its own
         * {@code TOLLGATE_SPOOL_DIR}. Replaces the single relay on {@code ports(relay, …)} and {@link #relayId}.
         */
        public Settings relays(int... ports) {
            if (ports.length == 0) {
                throw new IllegalArgumentException("at least one relay port");
            }
            List<Integer> list = new ArrayList<>();
            for (int port : ports) {
                list.add(port);
            }
            relayPorts = List.copyOf(list);
            relayPort = ports[0];
            return this;
        }

        /** A variable for one service only ({@code ledger}, {@code relay} = every relay, {@code admin}, {@code simulator}). */
        public Settings envFor(String service, String name, String value) {
            serviceEnv.computeIfAbsent(service, k -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /** JVM options of one service ({@code relay} = every relay) instead of the quick-start ones. */
        public Settings jvmOptions(String service, List<String> options) {
            jvmOptions.put(service, List.copyOf(options));
            return this;
        }

        /** Where one service finds MySQL, when it differs from {@link #db} (e.g. a TcpProxy in front of it). */
        public Settings dbFor(String service, String host, int port) {
            return envFor(service, "TOLLGATE_DB_HOST", host).envFor(service, "TOLLGATE_DB_PORT", Integer.toString(port));
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

        int relayCount() {
            return relayPorts.isEmpty() ? 1 : relayPorts.size();
        }

        /** Process name of relay {@code i} (1-based): {@code relay} alone, {@code relay-i} of several. */
        String relayName(int i) {
            return relayPorts.isEmpty() ? RELAY : RELAY + "-" + i;
        }

        int relayPort(int i) {
            return relayPorts.isEmpty() ? relayPort : relayPorts.get(i - 1);
        }

        String relayId(int i) {
            return relayPorts.isEmpty() ? relayId : RELAY + "-" + i;
        }

        /** The environment of one service: the common one, then its own overrides. */
        Map<String, String> environment(String service) {
            Map<String, String> env = environment();
            env.putAll(serviceEnv.getOrDefault(service, Map.of()));
            return env;
        }

        Map<String, String> relayEnvironment(int i) {
            Map<String, String> env = environment(RELAY);
            env.put("TOLLGATE_RELAY_PORT", Integer.toString(relayPort(i)));
            env.put("TOLLGATE_RELAY_ID", relayId(i));
            // Each relay spools to a directory of its own: two writers on one spool would corrupt it.
            env.putIfAbsent("TOLLGATE_SPOOL_DIR", logDir.resolve("spool").resolve(relayId(i)).toString());
            return env;
        }
    }

    public static final String SIMULATOR = "simulator";
    public static final String LEDGER = "ledger";
    public static final String RELAY = "relay";
    public static final String ADMIN = "admin";

    /** How a service is started: kept so a killed service can be started again just the same. */
    private record Spec(String name, Path jar, Map<String, String> env, String readyUrl, List<String> jvmOptions) {
    }

    private final Settings settings;
    /** Names in start order; stop() goes backwards. */
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Spec> specs = new ConcurrentHashMap<>();
    private final Map<String, ServiceProcess> running = new ConcurrentHashMap<>();

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
        if (settings.simulator) {
            launch(new Spec(SIMULATOR, settings.jar("deploy/simulator", "simulator"), settings.environment(SIMULATOR),
                    simulatorUrl() + "/v1/models", settings.jvmOptions.get(SIMULATOR)), false);
        }
        launch(new Spec(LEDGER, settings.jar("ledger-service", "ledger-service"), settings.environment(LEDGER),
                readiness(settings.ledgerPort), settings.jvmOptions.get(LEDGER)), false);
        if (settings.simulator) {
            awaitReady(SIMULATOR);
        }
        awaitReady(LEDGER);
        List<String> later = new ArrayList<>();
        for (int i = 1; i <= settings.relayCount(); i++) {
            launch(new Spec(settings.relayName(i), settings.jar("relay-service", "relay-service"),
                    settings.relayEnvironment(i), readiness(settings.relayPort(i)), settings.jvmOptions.get(RELAY)), false);
            later.add(settings.relayName(i));
        }
        launch(new Spec(ADMIN, settings.jar("admin-service", "admin-service"), settings.environment(ADMIN),
                readiness(settings.adminPort), settings.jvmOptions.get(ADMIN)), false);
        later.add(ADMIN);
        later.forEach(this::awaitReady);
    }

    private ServiceProcess launch(Spec spec, boolean again) {
        Path log = settings.logDir.resolve(spec.name() + ".log");
        ServiceProcess p;
        if (spec.jvmOptions() == null) {
            p = ServiceProcess.start(spec.name(), spec.jar(), spec.env(), log, again, settings.console, settings.echo);
        } else {
            if (!Files.isRegularFile(spec.jar())) {
                throw new IllegalStateException(spec.name() + ": " + spec.jar() + " is missing (build it: ./mvnw -q package -DskipTests)");
            }
            List<String> cmd = new ArrayList<>(List.of(ServiceProcess.javaExecutable()));
            cmd.addAll(spec.jvmOptions());
            cmd.addAll(List.of("-jar", spec.jar().toAbsolutePath().toString()));
            p = ServiceProcess.start(spec.name(), cmd, spec.env(), log, again, null, settings.console, settings.echo);
        }
        specs.put(spec.name(), spec);
        running.put(spec.name(), p);
        if (!started.contains(spec.name())) {
            started.add(spec.name());
        }
        return p;
    }

    private void awaitReady(String name) {
        process(name).awaitReady(specs.get(name).readyUrl(), settings.readyDeadline);
    }

    /** The running (or last) process of a service by name: simulator, ledger, relay or relay-i, admin. */
    public ServiceProcess process(String name) {
        ServiceProcess p = running.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service named " + name + " in this stack; have " + running.keySet());
        }
        return p;
    }

    /** Kills a service hard ({@code destroyForcibly}: no graceful shutdown, as in a crash) and waits until it is gone. */
    public void kill(String name) {
        process(name).kill();
    }

    /** Stops a service gracefully (SIGTERM, then SIGKILL after 10 s). */
    public void stopService(String name) {
        process(name).stop();
    }

    /**
     * Starts a stopped or killed service again with the same jar, environment, ports and (for a relay) spool
     * directory, its output appended to the same log, and waits until it is ready.
     */
    public ServiceProcess restart(String name) {
        if (process(name).isAlive()) {
            throw new IllegalStateException(name + " is still running; kill or stop it first");
        }
        ServiceProcess p = launch(specs.get(name), true);
        awaitReady(name);
        return p;
    }

    private static String readiness(int port) {
        return "http://127.0.0.1:" + port + "/actuator/health/readiness";
    }

    public Settings settings() {
        return settings;
    }

    /** {@code http://127.0.0.1:<relay port>} (the OpenAI base URL is this + "/v1"); the first relay of several. */
    public String relayUrl() {
        return relayUrl(1);
    }

    /** Relay {@code i} (1-based) of {@link #relayCount()}. */
    public String relayUrl(int i) {
        return "http://127.0.0.1:" + settings.relayPort(i);
    }

    public int relayCount() {
        return settings.relayCount();
    }

    /** Process name of relay {@code i} (1-based), for {@link #kill}, {@link #restart}, {@link #process}. */
    public String relayName(int i) {
        return settings.relayName(i);
    }

    /** The id relay {@code i} puts in its usage events. */
    public String relayId(int i) {
        return settings.relayId(i);
    }

    /** Where relay {@code i} spools usage events while Kafka is away. */
    public Path spoolDir(int i) {
        return Path.of(settings.relayEnvironment(i).get("TOLLGATE_SPOOL_DIR"));
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

    /** Null when the stack runs without the simulator. */
    public ServiceProcess simulator() {
        return running.get(SIMULATOR);
    }

    public ServiceProcess ledger() {
        return running.get(LEDGER);
    }

    /** The first relay. */
    public ServiceProcess relay() {
        return running.get(settings.relayName(1));
    }

    public ServiceProcess relay(int i) {
        return running.get(settings.relayName(i));
    }

    public ServiceProcess admin() {
        return running.get(ADMIN);
    }

    /** Stops every started service in reverse start order (SIGTERM, 10 s, then SIGKILL). Idempotent. */
    public void stop() {
        List<String> copy;
        synchronized (started) {
            copy = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(copy);
        for (String name : copy) {
            ServiceProcess p = running.get(name);
            if (p != null) {
                p.stop();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
