package dev.tollgate.ledger.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
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

/** The audit trail through the real command processor and MariaDB/MySQL: who did what, never a secret. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AuditTrailIT {

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
    void shouldRecordActorTargetAndRedactedBodyWhenAdminWritesAreApplied() {
        long before = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM audit_log", Long.class);
        String passwordHash = "$2a$10$" + "p".repeat(53);
        long user = Long.parseLong(ok(ADMIN, new Command.CreateUser("audit-" + UUID.randomUUID(), passwordHash,
                "customer", "default", true)).entityId());
        String topUpId = UUID.randomUUID().toString();
        process(topUpId, ADMIN, new Command.TopUp(user, 2_000_000, "invoice 42"));
        String key = CustomerKeys.generate();
        long keyId = Long.parseLong(ok("user:" + user, new Command.CreateKey(user, "laptop", CustomerKeys.hash(key),
                CustomerKeys.displayPrefix(key), null, null, List.of(), List.of(), null, true)).entityId());
        String ciphertext = "v1.CIPHERTEXT-THAT-MUST-NOT-BE-AUDITED";
        long channel = Long.parseLong(ok(ADMIN, new Command.CreateChannel("audited", "openai", "https://api.openai.com/v1",
                ciphertext, Map.of(), List.of("gpt-4o"), null, List.of("default"), 0, 1, true)).entityId());
        ok(ADMIN, new Command.UpdateChannel(channel, null, null, null, ciphertext + "-2", null, null, null, null, 5,
                null, null, null));

        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT command_id, type, actor, target, ok, body FROM audit_log WHERE id > ? ORDER BY id", before);

        assertThat(rows).extracting(r -> r.get("type") + " " + r.get("actor") + " " + r.get("target"))
                .containsExactly(
                        "user.create user:1 user:" + user,
                        "user.topup user:1 user:" + user,
                        "key.create user:" + user + " key:" + keyId,
                        "channel.create user:1 channel:" + channel,
                        "channel.update user:1 channel:" + channel);
        assertThat(rows.get(1).get("command_id")).isEqualTo(topUpId);
        assertThat((String) rows.get(1).get("body")).contains("2000000").contains("invoice 42");
        assertThat((String) rows.get(4).get("body")).contains("\"priority\":5");
        String all = rows.toString();
        assertThat(all).doesNotContain(passwordHash).doesNotContain(CustomerKeys.hash(key)).doesNotContain(key)
                .doesNotContain(ciphertext).contains(AuditRedaction.REDACTED);
    }

    @Test
    void shouldAuditRejectionsOnceAndNotAgainWhenTheCommandIsRepeated() {
        String id = UUID.randomUUID().toString();
        Command.TopUp toNobody = new Command.TopUp(987_654_321L, 1_000, "nobody");

        assertThat(process(id, ADMIN, toNobody).ok()).isFalse();
        process(id, ADMIN, toNobody);

        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT ok, code, target FROM audit_log WHERE command_id = ?", id);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("ok")).isIn(false, 0, (byte) 0);
        assertThat(rows.get(0).get("code")).isEqualTo("not_found");
        assertThat(rows.get(0).get("target")).isEqualTo("user:987654321");
    }

    private Change.CommandResult ok(String actor, Command command) {
        Change.CommandResult result = process(UUID.randomUUID().toString(), actor, command);
        assertThat(result.ok()).as("%s", result).isTrue();
        return result;
    }

    private Change.CommandResult process(String id, String actor, Command command) {
        return processor.process(CommandEnvelope.of(id, actor, null, command));
    }
}
