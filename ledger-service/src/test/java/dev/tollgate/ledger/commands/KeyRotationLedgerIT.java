package dev.tollgate.ledger.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Key rotation through the real command processor and MariaDB/MySQL: settings carried over, grace, exactly once. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class KeyRotationLedgerIT {

    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final String ADMIN = "user:1";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CommandProcessor processor;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("tollgate.topic-prefix", () -> PREFIX);
    }

    @TestConfiguration
    static class DropDatabaseOnClose {
        @Bean
        DisposableBean dropTestDatabase() {
            return db::close;
        }
    }

    @Test
    void shouldCreateOneReplacementWithTheSameSettingsWhenTheSameRotationIsAppliedTwice() {
        long oldKey = givenKey(new Command.CreateKey(givenUser(), "ci", hashOf(CustomerKeys.generate()), "tg-old00",
                null, 5_000_000L, List.of("gpt-4o"), List.of("192.0.2.0/24"), null, true, 60, 90_000L, null, true));
        String replacement = CustomerKeys.generate();
        String commandId = UUID.randomUUID().toString();
        Command.RotateKey rotate = new Command.RotateKey(oldKey, hashOf(replacement),
                CustomerKeys.displayPrefix(replacement), 3_600);
        Instant before = Instant.now();

        Change.CommandResult first = process(commandId, rotate);
        Change.CommandResult again = process(commandId, rotate);

        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(again).isEqualTo(first);
        long newKey = Long.parseLong(first.entityId());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM api_keys WHERE rotated_from = ?", Long.class, oldKey))
                .as("one replacement, however often the command arrives").isEqualTo(1);
        Map<String, Object> created = jdbc.queryForMap("SELECT * FROM api_keys WHERE id = ?", newKey);
        assertThat(created).containsEntry("name", "ci").containsEntry("quota_micros", 5_000_000L)
                .containsEntry("models", "[\"gpt-4o\"]").containsEntry("allowed_cidrs", "[\"192.0.2.0/24\"]")
                .containsEntry("rpm_limit", 60).containsEntry("tpm_limit", 90_000L)
                .containsEntry("key_hash", hashOf(replacement)).containsEntry("rotated_from", oldKey);
        assertThat(created.get("expires_at")).as("the replacement keeps the old key's (absent) expiry").isNull();
        assertThat(created.get("capture_bodies")).isIn(true, 1, (byte) 1);
        Map<String, Object> old = jdbc.queryForMap("SELECT rotated_to, expires_at FROM api_keys WHERE id = ?", oldKey);
        assertThat(old.get("rotated_to")).isEqualTo(newKey);
        Instant oldExpiry = instant(old.get("expires_at"));
        assertThat(oldExpiry).isBetween(before.plusSeconds(3_600).minusSeconds(1),
                Instant.now().plusSeconds(3_600).plusSeconds(1));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE command_id = ?", Long.class, commandId))
                .isEqualTo(1);
    }

    @Test
    void shouldExpireTheOldKeyAtOnceWhenGraceIsZeroAndRefuseRotatingItAgain() {
        long oldKey = givenKey(new Command.CreateKey(givenUser(), "now", hashOf(CustomerKeys.generate()), "tg-now00",
                null, null, List.of(), List.of(), null, true));

        Change.CommandResult result = process(UUID.randomUUID().toString(),
                new Command.RotateKey(oldKey, hashOf(CustomerKeys.generate()), "tg-new00", 0));
        Change.CommandResult twice = process(UUID.randomUUID().toString(),
                new Command.RotateKey(oldKey, hashOf(CustomerKeys.generate()), "tg-new01", 0));

        assertThat(result.ok()).as("%s", result).isTrue();
        Instant expiry = instant(jdbc.queryForObject("SELECT expires_at FROM api_keys WHERE id = ?", Object.class,
                oldKey));
        assertThat(expiry).isBeforeOrEqualTo(Instant.now());
        assertThat(twice.ok()).isFalse();
        assertThat(twice.code()).isEqualTo("conflict");
    }

    @Test
    void shouldRejectAGraceLongerThanThirtyDaysAndAnUnknownKey() {
        long oldKey = givenKey(new Command.CreateKey(givenUser(), "long", hashOf(CustomerKeys.generate()), "tg-lng00",
                null, null, List.of(), List.of(), null, true));

        Change.CommandResult tooLong = process(UUID.randomUUID().toString(), new Command.RotateKey(oldKey,
                hashOf(CustomerKeys.generate()), "tg-x", Duration.ofDays(30).toSeconds() + 1));
        Change.CommandResult unknown = process(UUID.randomUUID().toString(), new Command.RotateKey(987_654_321L,
                hashOf(CustomerKeys.generate()), "tg-x", 0));

        assertThat(tooLong.code()).isEqualTo("invalid");
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM api_keys WHERE rotated_from = ?", Long.class, oldKey))
                .isZero();
    }

    private long givenUser() {
        return Long.parseLong(ok(new Command.CreateUser("rot-" + UUID.randomUUID(), "$2a$10$" + "p".repeat(53),
                "customer", "default", true)).entityId());
    }

    private long givenKey(Command.CreateKey create) {
        return Long.parseLong(ok(create).entityId());
    }

    private static String hashOf(String key) {
        return CustomerKeys.hash(key);
    }

    private static Instant instant(Object column) {
        if (column instanceof Timestamp t) {
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        return ((java.time.LocalDateTime) column).toInstant(ZoneOffset.UTC);
    }

    private Change.CommandResult ok(Command command) {
        Change.CommandResult result = process(UUID.randomUUID().toString(), command);
        assertThat(result.ok()).as("%s", result).isTrue();
        return result;
    }

    private Change.CommandResult process(String id, Command command) {
        return processor.process(CommandEnvelope.of(id, ADMIN, null, command));
    }
}
