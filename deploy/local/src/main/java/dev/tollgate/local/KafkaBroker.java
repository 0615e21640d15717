package dev.tollgate.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker (org.apache.kafka:kafka_2.13) as a child JVM:
 * {@code java -Xms128m -Xmx512m -cp <classpath> kafka.Kafka server.properties}. Listener
 * PLAINTEXT://127.0.0.1:port, controller on port+1. The data directory is formatted once and
 * reused. Ready when an AdminClient's describeCluster succeeds.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    private final int port;
    private final Path dataDir;
    private final ServiceProcess process;

    private KafkaBroker(int port, Path dataDir, ServiceProcess process) {
        this.port = port;
        this.dataDir = dataDir;
        this.process = process;
    }

    /** Starts with this JVM's class path, log in {@code dataDir/broker.log}, nothing echoed but errors. */
    public static KafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, dataDir.resolve("broker.log"), System.out, System.getProperty("java.class.path"));
    }

    /**
     * @param console   where ERROR lines and "Kafka Server started" are echoed as {@code [kafka] …}; null for none
     * @param classpath class path holding kafka_2.13 and its runtime dependencies plus an SLF4J binding
     */
    public static KafkaBroker start(int port, Path dataDir, Path logFile, PrintStream console, String classpath) {
        classpath = absolute(classpath);
        try {
            Path dir = dataDir.toAbsolutePath();
            Path logDirs = dir.resolve("kraft");
            Files.createDirectories(logDirs);
            Path props = dir.resolve("server.properties");
            writeProperties(props, port, logDirs);
            if (!Files.exists(logDirs.resolve("meta.properties"))) {
                format(props, dir.resolve("format.log"), classpath);
            }
            List<String> cmd = new ArrayList<>(List.of(ServiceProcess.javaExecutable(), "-Xms128m", "-Xmx512m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
                    "-cp", classpath, "kafka.Kafka", props.toString()));
            ServiceProcess p = ServiceProcess.start("kafka", cmd, Map.of(), logFile, dir, console,
                    line -> line.contains("ERROR") || line.contains("Kafka Server started"));
            KafkaBroker broker = new KafkaBroker(port, dir, p);
            try {
                p.awaitReady(broker::describeClusterOk, "AdminClient describeCluster on " + broker.bootstrapServers(),
                        READY_DEADLINE);
            } catch (RuntimeException e) {
                p.stop();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare Kafka in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public ServiceProcess process() {
        return process;
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 20 s) and waits for it. */
    public void stop() {
        process.stop(Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        stop();
    }

    /** True when a broker answers describeCluster on {@code bootstrap} within a few seconds. */
    public static boolean isReady(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).clusterId().get(4, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** The child runs in the data directory: make relative class path entries absolute. */
    static String absolute(String classpath) {
        List<String> out = new ArrayList<>();
        for (String e : classpath.split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) {
                out.add(e.endsWith("*") ? Path.of(e.substring(0, e.length() - 1)).toAbsolutePath() + java.io.File.separator + "*"
                        : Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    private boolean describeClusterOk() {
        return isReady(bootstrapServers());
    }

    private static void format(Path props, Path log, String classpath) throws IOException {
        String clusterId = Uuid.randomUuid().toString(); // what `StorageTool random-uuid` prints
        List<String> cmd = List.of(ServiceProcess.javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", classpath,
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage timed out; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted formatting Kafka storage", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("formatting Kafka storage failed (exit " + p.exitValue() + "): "
                    + Files.readString(log).strip());
        }
    }

    private static void writeProperties(Path file, int port, Path logDirs) throws IOException {
        int controller = port + 1;
        String text = String.join("\n",
                "# written by dev.tollgate.local.KafkaBroker",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + logDirs,
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "") ;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(text);
        }
    }
}
