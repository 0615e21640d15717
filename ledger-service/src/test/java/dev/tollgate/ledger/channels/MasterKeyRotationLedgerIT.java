package dev.tollgate.ledger.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.secrets.SecretBox;
import dev.tollgate.ledger.commands.CommandProcessor;
import dev.tollgate.ledger.support.TopicRecorder;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
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

/**
 * A ledger whose master key was rotated (k1 → k2, k1 still read): channel keys (and TOTP secrets) made under k1, in
 * the old v1 form or the v2 form, are re-encrypted under k2 by the command, all or nothing, and still decrypt to the
 * same plaintext.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MasterKeyRotationLedgerIT {

    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final String OLD_MASTER = "old-master-key-for-rotation-it";
    private static final String NEW_MASTER = "new-master-key-for-rotation-it";

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
        registry.add("tollgate.master-key", () -> NEW_MASTER);
        registry.add("tollgate.master-key-id", () -> "k2");
        registry.add("tollgate.master-keys-old", () -> "k1:" + OLD_MASTER);
        registry.add("tollgate.ledger.probe.enabled", () -> "false");
    }

    @TestConfiguration
    static class DropDatabaseOnClose {
        @Bean
        DisposableBean dropTestDatabase() {
            return db::close;
        }
    }

    @Test
    void shouldReencryptEveryChannelKeyUnderTheCurrentKeyIdAndKeepItsPlaintext() {
        try (TopicRecorder changes = new TopicRecorder(TestKafka.bootstrapServers(), new Topics(PREFIX).changes())) {
            reencryptAndCheck(changes);
        }
    }

    private void reencryptAndCheck(TopicRecorder changes) {
        SecretBox old = SecretBox.fromMasterKey(OLD_MASTER);
        String v1 = v1Form(old.encrypt("sk-from-v1-days"));
        long a = channel("a", v1);
        long b = channel("b", old.encrypt("sk-under-k1"));
        long c = channel("c", null);
        long d = channel("d", "x");
        jdbc.update("UPDATE channels SET api_key_enc = ? WHERE id = ?",
                SecretBox.fromConfig(NEW_MASTER, "k2", null).encrypt("sk-already-k2"), d);
        String unchanged = stored(d);
        long user = Long.parseLong(process(new Command.CreateUser("totp-" + UUID.randomUUID(), "$2a$10$" + "p".repeat(53),
                "admin", "default", true)).entityId());
        assertThat(process(new Command.SetTotp(user, old.encrypt("JBSWY3DPEHPK3PXP"), true)).ok()).isTrue();

        Change.CommandResult mismatched = process(new Command.ReencryptSecrets("k3"));
        Change.CommandResult result = process(new Command.ReencryptSecrets("k2"));
        Change.CommandResult again = process(new Command.ReencryptSecrets("k2"));

        assertThat(mismatched.ok()).isFalse();
        assertThat(mismatched.code()).isEqualTo("conflict");
        assertThat(result.ok()).as("%s", result).isTrue();
        assertThat(result.entityId()).as("two channel keys and one TOTP secret").isEqualTo("3");
        assertThat(again.entityId()).as("nothing left to move").isEqualTo("0");
        SecretBox onlyNew = SecretBox.fromConfig(NEW_MASTER, "k2", null);
        assertThat(stored(a)).startsWith("v2.k2.");
        assertThat(onlyNew.decrypt(stored(a))).isEqualTo("sk-from-v1-days");
        assertThat(onlyNew.decrypt(stored(b))).isEqualTo("sk-under-k1");
        assertThat(stored(c)).isNull();
        String totp = jdbc.queryForObject("SELECT totp_secret_enc FROM users WHERE id = ?", String.class, user);
        assertThat(totp).startsWith("v2.k2.");
        assertThat(onlyNew.decrypt(totp)).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(stored(d)).isEqualTo(unchanged);
        assertThat(jdbc.queryForObject("SELECT version FROM channels WHERE id = ?", Long.class, a)).isEqualTo(2);
        // The relays learn the new ciphertext from the changes topic, as for any channel change.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(changes.changes(
                Change.ChannelChanged.class)).anySatisfy(ch -> {
                    assertThat(ch.id()).isEqualTo(a);
                    assertThat(ch.apiKeyCiphertext()).isEqualTo(stored(a));
                }));
    }

    @Test
    void shouldChangeNothingWhenOneChannelKeyIsUnderAMasterKeyNoLongerConfigured() {
        long readable = channel("readable", SecretBox.fromMasterKey(OLD_MASTER).encrypt("sk-r"));
        long lost = channel("lost", SecretBox.fromConfig("forgotten-master", "k0", null).encrypt("sk-l"));
        String before = stored(readable);

        Change.CommandResult result = process(new Command.ReencryptSecrets("k2"));

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains(Long.toString(lost)).contains("TOLLGATE_MASTER_KEYS_OLD");
        assertThat(stored(readable)).isEqualTo(before);
        jdbc.update("DELETE FROM channels WHERE id = ?", lost);
    }

    /** The pre-key-id form of the same bytes: v1 texts carried no key id. */
    private static String v1Form(String v2) {
        return "v1." + v2.substring(v2.indexOf('.', 3) + 1);
    }

    private long channel(String name, String ciphertext) {
        Change.CommandResult created = process(new Command.CreateChannel(name + "-" + UUID.randomUUID(), "openai",
                "https://api.openai.com/v1", ciphertext, Map.of(), List.of("gpt-4o"), null, List.of("default"), 0, 1,
                true));
        assertThat(created.ok()).as("%s", created).isTrue();
        return Long.parseLong(created.entityId());
    }

    private String stored(long channel) {
        return jdbc.queryForObject("SELECT api_key_enc FROM channels WHERE id = ?", String.class, channel);
    }

    private Change.CommandResult process(Command command) {
        return processor.process(CommandEnvelope.of(UUID.randomUUID().toString(), "user:1", null, command));
    }
}
