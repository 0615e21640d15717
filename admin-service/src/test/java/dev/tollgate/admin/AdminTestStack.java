package dev.tollgate.admin;

import dev.tollgate.contracts.Topics;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every admin API IT sets up: a database of its own with the ledger's schema (the ledger's Flyway scripts, as
 * the real ledger would leave it), and the admin service's properties for it, its Kafka topics and its secrets.
 */
final class AdminTestStack {

    static final String SESSION_SECRET = "session-secret-for-tests";
    static final String MASTER_KEY = "master-key-for-tests";

    private AdminTestStack() {
    }

    /** A fresh database migrated to the ledger's current schema. */
    static TestDatabase migratedDatabase() {
        TestDatabase db = TestDatabase.create();
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + migrations())
                .load()
                .migrate();
        return db;
    }

    /** The admin service's database, Kafka, timing and secret properties; a test adds its own after these. */
    static void register(DynamicPropertyRegistry registry, TestDatabase db, Topics topics, String adminPassword,
            String commandTimeout) {
        registry.add("spring.r2dbc.url", db::r2dbcUrl);
        registry.add("spring.r2dbc.username", db::user);
        registry.add("spring.r2dbc.password", db::password);
        registry.add("tollgate.kafka.bootstrap", TestKafka::bootstrapServers);
        registry.add("tollgate.kafka.topic-prefix", topics::prefix);
        registry.add("tollgate.admin.command-timeout", () -> commandTimeout);
        registry.add("tollgate.admin.bootstrap-retry", () -> "200ms");
        registry.add("tollgate.admin.initial-password", () -> adminPassword);
        registry.add("tollgate.admin.session-secret", () -> SESSION_SECRET);
        registry.add("tollgate.admin.master-key", () -> MASTER_KEY);
    }

    private static Path migrations() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("ledger-service"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no ledger-service folder above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("ledger-service/src/main/resources/db/migration");
    }
}
