package dev.tollgate.ledger.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.secrets.SecretBox;
import dev.tollgate.ledger.support.LedgerClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
 * Channel health through the real command path and the real probe job: a relay's AutoDisableChannel switches a
 * channel off and announces it; the probe switches it back on when its upstream (a simulator) answers, and
 * leaves alone channels whose upstream still refuses and channels an admin disabled.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ChannelHealthLedgerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String MASTER_KEY = "ledger-probe-master-" + UUID.randomUUID();
    private static final String UPSTREAM_KEY = "sk-upstream-for-probe";
    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final Topics topics = new Topics(PREFIX);
    private static final Simulator healthy = Simulator.start(0);
    private static final Simulator refusing = Simulator.start(0);
    private static LedgerClient client;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ChannelProbeJob job;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("tollgate.topic-prefix", () -> PREFIX);
        registry.add("tollgate.master-key", () -> MASTER_KEY);
        registry.add("tollgate.ledger.probe.interval", () -> "200ms");
    }

    @BeforeEach
    void startClients() {
        if (client == null) {
            client = new LedgerClient(TestKafka.bootstrapServers(), topics);
        }
        refusing.config(SimulatorConfig.defaults().withFailure(401, 0));
    }

    @AfterAll
    static void stopClients() {
        if (client != null) {
            client.close();
        }
        healthy.close();
        refusing.close();
    }

    /** Drops the database when the context closes, after the consumers and the outbox publisher stopped. */
    @TestConfiguration
    static class DropDatabaseOnClose {
        @Bean
        DisposableBean dropTestDatabase() {
            return db::close;
        }
    }

    @Test
    void shouldDisableAndAnnounceOnceWhenARelayReportsAChannelTwice() {
        long channel = createChannel(refusing.baseUrl());
        long version = row(channel).version();

        Change.CommandResult first = client.command(
                new Command.AutoDisableChannel(channel, version, "auth_rejected: 401", "relay-a"));

        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(first.version()).isEqualTo(version + 1);
        Row off = row(channel);
        assertThat(off.enabled()).isFalse();
        assertThat(off.autoDisabled()).isTrue();
        assertThat(off.reason()).isEqualTo("auth_rejected: 401");
        assertThat(off.disabledAtSet()).isTrue();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(announced(channel))
                .anySatisfy(c -> {
                    assertThat(c.version()).isEqualTo(version + 1);
                    assertThat(c.enabled()).isFalse();
                    assertThat(c.autoDisabled()).isTrue();
                    assertThat(c.disabledReason()).isEqualTo("auth_rejected: 401");
                }));

        // Another relay's report of the same version: already off, nothing changes and nothing is announced.
        Change.CommandResult second = client.command(
                new Command.AutoDisableChannel(channel, version, "account_problem: 402", "relay-b"));

        assertThat(second.ok()).isTrue();
        assertThat(second.version()).isEqualTo(version + 1);
        assertThat(row(channel)).isEqualTo(off);
        assertThat(announced(channel)).noneMatch(c -> c.version() > version + 1);
    }

    @Test
    void shouldReenableOnlyTheAutoDisabledChannelWhoseUpstreamAnswers() {
        long heals = createChannel(healthy.baseUrl());
        long stillRefused = createChannel(refusing.baseUrl());
        long manual = createChannel(healthy.baseUrl());
        assertThat(client.command(update(manual, false)).ok()).isTrue();
        long manualVersion = row(manual).version();
        long refusedVersion = autoDisable(stillRefused);
        long healsVersion = autoDisable(heals);

        await().atMost(DEADLINE).untilAsserted(() -> {
            Row row = row(heals);
            assertThat(row.enabled()).isTrue();
            assertThat(row.autoDisabled()).isFalse();
            assertThat(row.reason()).isNull();
            assertThat(row.disabledAtSet()).isFalse();
            assertThat(row.version()).isEqualTo(healsVersion + 1);
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(announced(heals))
                .anySatisfy(c -> {
                    assertThat(c.version()).isEqualTo(healsVersion + 1);
                    assertThat(c.enabled()).isTrue();
                    assertThat(c.autoDisabled()).isFalse();
                }));
        // The upstream that still refuses was probed (a chat call with the channel's model), and more rounds ran.
        assertThat(refusing.requests()).anySatisfy(r -> assertThat(r.decodedPath()).isEqualTo("/v1/chat/completions"));
        long rounds = job.rounds();
        await().atMost(DEADLINE).until(() -> job.rounds() >= rounds + 2);

        Row refused = row(stillRefused);
        assertThat(refused.enabled()).isFalse();
        assertThat(refused.autoDisabled()).isTrue();
        assertThat(refused.version()).isEqualTo(refusedVersion);
        Row manuallyOff = row(manual);
        assertThat(manuallyOff.enabled()).isFalse();
        assertThat(manuallyOff.autoDisabled()).isFalse();
        assertThat(manuallyOff.version()).isEqualTo(manualVersion);
    }

    @Test
    void shouldEndTheAutoDisableWhenAnAdminEnablesTheChannel() {
        long channel = createChannel(refusing.baseUrl());
        long version = autoDisable(channel);

        Change.CommandResult enabled = client.command(update(channel, true));

        assertThat(enabled.ok()).isTrue();
        Row row = row(channel);
        assertThat(row.version()).isEqualTo(version + 1);
        assertThat(row.enabled()).isTrue();
        assertThat(row.autoDisabled()).isFalse();
        assertThat(row.reason()).isNull();
        assertThat(row.disabledAtSet()).isFalse();
    }

    // ---- helpers ----

    private record Row(boolean enabled, boolean autoDisabled, String reason, boolean disabledAtSet, long version) {
    }

    private Row row(long channel) {
        return jdbc.queryForObject("SELECT enabled, auto_disabled, disabled_reason, disabled_at IS NOT NULL, version "
                + "FROM channels WHERE id = ?", (rs, i) -> new Row(rs.getBoolean(1), rs.getBoolean(2), rs.getString(3),
                        rs.getBoolean(4), rs.getLong(5)), channel);
    }

    private static long createChannel(String baseUrl) {
        String ciphertext = SecretBox.fromMasterKey(MASTER_KEY).encrypt(UPSTREAM_KEY);
        Change.CommandResult result = client.command(new Command.CreateChannel("ch-" + UUID.randomUUID(), "openai",
                baseUrl, ciphertext, Map.of(), List.of("gpt-4o-mini"), Map.of(), List.of("default"), 0, 1, true));
        assertThat(result.ok()).as("create channel: %s", result).isTrue();
        return Long.parseLong(result.entityId());
    }

    /** Returns the version after the disable. */
    private long autoDisable(long channel) {
        Change.CommandResult result = client.command(
                new Command.AutoDisableChannel(channel, row(channel).version(), "auth_rejected: 401", "relay-a"));
        assertThat(result.ok()).as("auto-disable: %s", result).isTrue();
        return result.version();
    }

    private static Command.UpdateChannel update(long channel, boolean enabled) {
        return new Command.UpdateChannel(channel, null, null, null, null, null, null, null, null, null, null, enabled,
                null);
    }

    private static List<Change.ChannelChanged> announced(long channel) {
        return client.changes().changes(Change.ChannelChanged.class).stream().filter(c -> c.id() == channel).toList();
    }
}
