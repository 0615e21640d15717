package dev.tollgate.ledger.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.ledger.support.TopicRecorder;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
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

/**
 * Admin sessions and the TOTP replay guard through the real command processor and MariaDB/MySQL: each command
 * applied once per command id, the announced changes, and the conditions that make them hold across admin instances.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SessionCommandsLedgerIT {

    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final String ADMIN = "user:1";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final TopicRecorder changes = new TopicRecorder(TestKafka.bootstrapServers(),
            new Topics(PREFIX).changes());

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

    @AfterAll
    static void stopRecorder() {
        changes.close();
    }

    @Test
    void shouldKeepOneSignedOutSessionAndAnnounceItOnceWhenTheSameRevocationIsAppliedTwice() {
        long user = givenUser();
        String session = UUID.randomUUID().toString();
        Instant expiresAt = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
        String commandId = UUID.randomUUID().toString();
        Command.RevokeSession revoke = new Command.RevokeSession(user, session, expiresAt);

        Change.CommandResult first = process(commandId, revoke);
        Change.CommandResult again = process(commandId, revoke);

        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(again).isEqualTo(first);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM revoked_sessions WHERE session_id = ?", Long.class,
                session)).isEqualTo(1);
        assertThat(instant(jdbc.queryForObject("SELECT expires_at FROM revoked_sessions WHERE session_id = ?",
                Object.class, session))).isEqualTo(expiresAt);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE command_id = ?", Long.class, commandId))
                .isEqualTo(1);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(resultsOf(commandId)).isEqualTo(2));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(changes.changes(Change.SessionsRevoked.class))
                .filteredOn(c -> session.equals(c.sessionId()))
                .containsExactly(new Change.SessionsRevoked(user, session, expiresAt, null)));
    }

    @Test
    void shouldForgetExpiredRevocationsAndRefuseUnknownUsersAndMissingFields() {
        long user = givenUser();
        String expired = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO revoked_sessions (session_id, user_id, expires_at) VALUES (?, ?, ?)", expired, user,
                Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1)));
        String late = UUID.randomUUID().toString();

        Change.CommandResult pastExpiry = process(UUID.randomUUID().toString(),
                new Command.RevokeSession(user, late, Instant.now().minusSeconds(5)));
        Change.CommandResult unknown = process(UUID.randomUUID().toString(),
                new Command.RevokeSession(987_654_321L, UUID.randomUUID().toString(), Instant.now().plusSeconds(60)));
        Change.CommandResult noId = process(UUID.randomUUID().toString(),
                new Command.RevokeSession(user, " ", Instant.now().plusSeconds(60)));

        assertThat(pastExpiry.ok()).as("already refused by its own expiry").isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM revoked_sessions WHERE session_id IN (?, ?)",
                Long.class, expired, late)).as("expired rows are purged, not kept").isZero();
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(noId.code()).isEqualTo("invalid");
    }

    @Test
    void shouldMoveTheTimeSessionsEndBeforeOnlyForwardAndApplyARepeatOnce() {
        long user = givenUser();
        Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant earlier = later.minusSeconds(30);
        String commandId = UUID.randomUUID().toString();

        Change.CommandResult first = process(commandId, new Command.RevokeSessions(user, later));
        Change.CommandResult back = process(UUID.randomUUID().toString(), new Command.RevokeSessions(user, earlier));
        Change.CommandResult repeat = process(commandId, new Command.RevokeSessions(user, later));
        Change.CommandResult farAhead = process(UUID.randomUUID().toString(),
                new Command.RevokeSessions(user, Instant.now().plus(Duration.ofDays(1))));

        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(back.ok()).isTrue();
        assertThat(repeat).isEqualTo(first);
        assertThat(farAhead.code()).as("a lock-out for a day is not a sign-out").isEqualTo("invalid");
        assertThat(validAfter(user)).isEqualTo(later);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE command_id = ?", Long.class, commandId))
                .isEqualTo(1);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(changes.changes(Change.SessionsRevoked.class))
                .filteredOn(c -> c.userId() == user)
                .as("the earlier time announces the later one kept")
                .containsExactly(new Change.SessionsRevoked(user, null, null, later),
                        new Change.SessionsRevoked(user, null, null, later)));
    }

    @Test
    void shouldAcceptEachTotpStepOnceAndNeverAnEarlierOne() {
        long user = givenUser();
        String commandId = UUID.randomUUID().toString();

        Change.CommandResult used = process(commandId, new Command.UseTotpStep(user, 59_000_100L));
        Change.CommandResult repeat = process(commandId, new Command.UseTotpStep(user, 59_000_100L));
        Change.CommandResult replay = process(UUID.randomUUID().toString(), new Command.UseTotpStep(user, 59_000_100L));
        Change.CommandResult earlier = process(UUID.randomUUID().toString(), new Command.UseTotpStep(user, 59_000_099L));
        Change.CommandResult next = process(UUID.randomUUID().toString(), new Command.UseTotpStep(user, 59_000_101L));
        Change.CommandResult unknown = process(UUID.randomUUID().toString(), new Command.UseTotpStep(987_654_321L, 1));

        assertThat(used.ok()).as("%s", used).isTrue();
        assertThat(repeat).as("the same command again is the same answer, not a second use").isEqualTo(used);
        assertThat(replay.ok()).isFalse();
        assertThat(replay.code()).isEqualTo("conflict");
        assertThat(earlier.code()).isEqualTo("conflict");
        assertThat(next.ok()).isTrue();
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(jdbc.queryForObject("SELECT totp_last_step FROM users WHERE id = ?", Long.class, user))
                .isEqualTo(59_000_101L);
    }

    @Test
    void shouldEndSessionsWithATotpSwitchOrANewPasswordAndForgetTheStepWithANewSecret() {
        long user = givenUser();
        Instant enabledAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(20);
        ok(new Command.SetTotp(user, "v2.k1.FIRST", false));
        ok(new Command.UseTotpStep(user, 59_000_200L));

        ok(new Command.SetTotp(user, "v2.k1.FIRST", true, enabledAt));

        assertThat(validAfter(user)).isEqualTo(enabledAt);
        assertThat(jdbc.queryForObject("SELECT totp_last_step FROM users WHERE id = ?", Long.class, user))
                .as("the same secret keeps its last step").isEqualTo(59_000_200L);

        Instant passwordAt = enabledAt.plusSeconds(10);
        ok(new Command.UpdateUser(user, null, null, "$2a$10$" + "n".repeat(53), null, null, null, null, passwordAt));
        assertThat(validAfter(user)).isEqualTo(passwordAt);

        ok(new Command.SetTotp(user, null, false, passwordAt.plusSeconds(1)));
        ok(new Command.SetTotp(user, "v2.k1.SECOND", false));
        assertThat(jdbc.queryForObject("SELECT totp_last_step FROM users WHERE id = ?", Long.class, user))
                .as("a new secret's codes have not been used").isNull();
        assertThat(validAfter(user)).isEqualTo(passwordAt.plusSeconds(1));
    }

    private long resultsOf(String commandId) {
        return changes.changes(Change.CommandResult.class).stream()
                .filter(r -> commandId.equals(r.commandId()))
                .count();
    }

    private Instant validAfter(long user) {
        return instant(jdbc.queryForObject("SELECT sessions_valid_after FROM users WHERE id = ?", Object.class, user));
    }

    private long givenUser() {
        return Long.parseLong(ok(new Command.CreateUser("ses-" + UUID.randomUUID(), "$2a$10$" + "p".repeat(53),
                "admin", "default", true)).entityId());
    }

    private static Instant instant(Object column) {
        if (column instanceof Timestamp t) {
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        return ((LocalDateTime) column).toInstant(ZoneOffset.UTC);
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
