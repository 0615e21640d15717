package dev.tollgate.local.bench;

import dev.tollgate.local.EmbeddedMysql;
import dev.tollgate.local.KafkaBroker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A benchmark's MySQL and Kafka: those named by TOLLGATE_DB_HOST / TOLLGATE_KAFKA_BOOTSTRAP (with
 * TOLLGATE_DB_PORT, _USER, _PASSWORD), else an embedded MariaDB and a broker of its own. The database is
 * dropped and created afresh every run.
 */
final class BenchInfra implements AutoCloseable {

    final String dbHost;
    final int dbPort;
    final String dbName;
    final String dbUser;
    final String dbPassword;
    final String bootstrap;
    private volatile EmbeddedMysql mysql;
    private volatile KafkaBroker kafka;

    private BenchInfra(EmbeddedMysql mysql, String host, int port, String name, String user, String password,
            KafkaBroker kafka, String bootstrap) {
        this.mysql = mysql;
        this.dbHost = host;
        this.dbPort = port;
        this.dbName = name;
        this.dbUser = user;
        this.dbPassword = password;
        this.kafka = kafka;
        this.bootstrap = bootstrap;
    }

    static BenchInfra start(Map<String, String> env, Path state, int embeddedDbPort, String dbName, int kafkaPort)
            throws SQLException {
        String host = env.get("TOLLGATE_DB_HOST");
        EmbeddedMysql mysql = null;
        String user;
        String password;
        int port;
        if (host == null || host.isBlank()) {
            say("starting embedded MariaDB on :" + embeddedDbPort);
            mysql = EmbeddedMysql.start(state.resolve("mariadb"), embeddedDbPort, dbName);
            host = mysql.host();
            port = mysql.port();
            user = mysql.user();
            password = mysql.password();
        } else {
            port = Integer.parseInt(env.getOrDefault("TOLLGATE_DB_PORT", "3306"));
            user = env.getOrDefault("TOLLGATE_DB_USER", "tollgate");
            password = env.getOrDefault("TOLLGATE_DB_PASSWORD", "");
        }
        String server = "jdbc:mariadb://" + host + ":" + port + "/";
        try (Connection c = DriverManager.getConnection(server, user, password); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `" + dbName + "`"); // a fresh schema every run
            st.execute("CREATE DATABASE `" + dbName + "` CHARACTER SET utf8mb4");
        }
        say("MySQL: " + user + "@" + host + ":" + port + "/" + dbName);
        String bootstrap = env.get("TOLLGATE_KAFKA_BOOTSTRAP");
        KafkaBroker kafka = null;
        if (bootstrap == null || bootstrap.isBlank()) {
            say("starting a Kafka broker on :" + kafkaPort);
            kafka = KafkaBroker.start(kafkaPort, state.resolve("kafka"), state.resolve("kafka.log"), null,
                    System.getProperty("java.class.path"));
            bootstrap = kafka.bootstrapServers();
        }
        return new BenchInfra(mysql, host, port, dbName, user, password, kafka, bootstrap);
    }

    String jdbcUrl() {
        return "jdbc:mariadb://" + dbHost + ":" + dbPort + "/" + dbName;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), dbUser, dbPassword);
    }

    /** The broker's pid when this run started it, else -1. */
    long kafkaPid() {
        KafkaBroker k = kafka;
        return k == null ? -1 : k.process().pid();
    }

    /** Stops what this run started; idempotent. */
    @Override
    public synchronized void close() {
        if (kafka != null) {
            kafka.stop();
            kafka = null;
        }
        if (mysql != null) {
            mysql.stop();
            mysql = null;
        }
    }

    /** Work that may throw, as a benchmark's body. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs a benchmark's body, then {@code stop}, also on Ctrl-C: the children run in sessions of their own, so
     * nothing else would stop them. The Kafka clients' INFO lines would bury the table: warnings only.
     */
    static void runStopping(Body body, Runnable stop) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        Thread stopper = new Thread(stop, "bench-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            body.run();
        } finally {
            stop.run();
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
    }

    static void say(String line) {
        System.out.println("[bench] " + line);
    }
}
