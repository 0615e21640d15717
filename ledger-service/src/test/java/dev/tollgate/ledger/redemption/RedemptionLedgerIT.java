package dev.tollgate.ledger.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.ledger.commands.CommandProcessor;
import dev.tollgate.ledger.journal.ReconciliationQuery;
import dev.tollgate.ledger.support.LedgerClient;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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

/** Redemption codes through the real command path: Kafka in, MariaDB/MySQL state, results on the changes topic. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedemptionLedgerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final Topics topics = new Topics(PREFIX);
    private static LedgerClient client;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ReconciliationQuery reconciliation;

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

    @BeforeEach
    void startClients() {
        if (client == null) {
            client = new LedgerClient(TestKafka.bootstrapServers(), topics);
        }
    }

    /** Whatever a test did, every balance is its journal. */
    @AfterEach
    void ledgerStaysReconciled() {
        ReconciliationQuery.Report report = reconciliation.run();
        assertThat(report.balances()).as("balances vs journal").isEmpty();
        assertThat(report.usage()).as("usage journal vs request log").isEmpty();
    }

    @AfterAll
    static void stopClients() {
        if (client != null) {
            client.close();
        }
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
    void shouldCreditTheCodesAmountOnceAndAnnounceTheBalanceWhenACodeIsRedeemed() {
        long user = client.createUser();
        client.topUp(user, 1_000_000);
        String batch = "batch-" + UUID.randomUUID();
        List<String> codes = createBatch(batch, 2_500_000, 3, null);

        String redeemId = UUID.randomUUID().toString();
        Change.CommandResult ok = client.command(redeemId, new Command.RedeemCode(CustomerKeys.hash(codes.get(0)), user));

        assertThat(ok.ok()).as("%s", ok).isTrue();
        assertThat(ok.entity()).isEqualTo("journal");
        long journalId = Long.parseLong(ok.entityId());
        assertThat(balance(user)).isEqualTo(3_500_000);
        Map<String, Object> entry = jdbc.queryForMap(
                "SELECT user_id, kind, amount_micros, balance_after, ref, note FROM journal WHERE id = ?", journalId);
        Map<String, Object> code = jdbc.queryForMap("SELECT id, redeemed_by, redeemed_at, journal_id, version "
                + "FROM redemption_codes WHERE code_hash = ?", CustomerKeys.hash(codes.get(0)));
        assertThat(((Number) entry.get("user_id")).longValue()).isEqualTo(user);
        assertThat(entry.get("kind")).isEqualTo("redemption");
        assertThat(((Number) entry.get("amount_micros")).longValue()).isEqualTo(2_500_000);
        assertThat(((Number) entry.get("balance_after")).longValue()).isEqualTo(3_500_000);
        assertThat(entry.get("ref")).isEqualTo(code.get("id").toString());
        assertThat(entry.get("note")).isEqualTo(batch);
        assertThat(((Number) code.get("redeemed_by")).longValue()).isEqualTo(user);
        assertThat(code.get("redeemed_at")).isNotNull();
        assertThat(((Number) code.get("journal_id")).longValue()).isEqualTo(journalId);
        assertThat(((Number) code.get("version")).longValue()).isEqualTo(2);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(client.changes().changes(Change.BalanceChanged.class))
                .anySatisfy(b -> {
                    assertThat(b.userId()).isEqualTo(user);
                    assertThat(b.balanceMicros()).isEqualTo(3_500_000);
                    assertThat(b.version()).isEqualTo(ok.version());
                }));

        // The same command again (a retry) answers the stored result; a new command for the code is refused.
        Change.CommandResult retry = client.resend(redeemId, new Command.RedeemCode(CustomerKeys.hash(codes.get(0)), user));
        Change.CommandResult again = client.command(new Command.RedeemCode(CustomerKeys.hash(codes.get(0)), user));

        assertThat(retry).isEqualTo(ok);
        assertThat(again.ok()).isFalse();
        assertThat(again.code()).isEqualTo("conflict");
        assertThat(again.message()).contains("already redeemed");
        assertThat(balance(user)).isEqualTo(3_500_000);
        assertThat(redemptionEntries(user)).isEqualTo(1);
        // The batch's other codes are untouched.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM redemption_codes WHERE batch_name = ? "
                + "AND redeemed_by IS NULL", Integer.class, batch)).isEqualTo(2);
    }

    @Test
    void shouldTellUnknownExpiredAndMissingUserApartWhenARedemptionIsRefused() {
        long user = client.createUser();
        List<String> expired = createBatch("expired-" + UUID.randomUUID(), 1_000_000, 1,
                Instant.now().minus(1, ChronoUnit.MINUTES));
        List<String> live = createBatch("live-" + UUID.randomUUID(), 1_000_000, 1,
                Instant.now().plus(1, ChronoUnit.HOURS));

        Change.CommandResult tooLate = client.command(new Command.RedeemCode(CustomerKeys.hash(expired.get(0)), user));
        Change.CommandResult unknown = client.command(new Command.RedeemCode(CustomerKeys.hash("tgr-no-such-code"), user));
        Change.CommandResult malformed = client.command(new Command.RedeemCode("not-a-hash", user));
        Change.CommandResult noUser = client.command(new Command.RedeemCode(CustomerKeys.hash(live.get(0)), 987_654_321L));
        Change.CommandResult inTime = client.command(new Command.RedeemCode(CustomerKeys.hash(live.get(0)), user));

        assertThat(tooLate.ok()).isFalse();
        assertThat(tooLate.code()).isEqualTo("invalid");
        assertThat(tooLate.message()).contains("expired");
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(malformed.code()).isEqualTo("not_found");
        assertThat(noUser.code()).isEqualTo("not_found");
        assertThat(noUser.message()).contains("user");
        assertThat(inTime.ok()).as("a code before its expiry, after a refused attempt: %s", inTime).isTrue();
        assertThat(balance(user)).isEqualTo(1_000_000);
        assertThat(redemptionEntries(user)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM redemption_codes WHERE code_hash = ? "
                + "AND redeemed_by IS NULL", Integer.class, CustomerKeys.hash(expired.get(0)))).isEqualTo(1);
    }

    @Test
    void shouldRedeemExactlyOnceWhenTwoUsersRedeemTheSameCodeBackToBack() {
        long ann = client.createUser();
        long bob = client.createUser();
        String hash = CustomerKeys.hash(createBatch("race-" + UUID.randomUUID(), 4_000_000, 1, null).get(0));
        String annId = UUID.randomUUID().toString();
        String bobId = UUID.randomUUID().toString();

        // Back to back, without waiting: both are on the code's partition before the first is applied.
        client.sendCommand(annId, new Command.RedeemCode(hash, ann));
        client.sendCommand(bobId, new Command.RedeemCode(hash, bob));
        await().atMost(DEADLINE).until(() -> !client.results(annId).isEmpty() && !client.results(bobId).isEmpty());

        List<Change.CommandResult> both = List.of(client.results(annId).get(0), client.results(bobId).get(0));
        assertThat(both).filteredOn(Change.CommandResult::ok).hasSize(1);
        assertThat(both).filteredOn(r -> !r.ok()).singleElement()
                .satisfies(r -> assertThat(r.code()).isEqualTo("conflict"));
        assertThat(redemptionEntries(ann) + redemptionEntries(bob)).isEqualTo(1);
        assertThat(balance(ann) + balance(bob)).isEqualTo(4_000_000);
        long winner = client.results(annId).get(0).ok() ? ann : bob;
        assertThat(jdbc.queryForObject("SELECT redeemed_by FROM redemption_codes WHERE code_hash = ?", Long.class,
                hash)).isEqualTo(winner);
        assertThat(balance(winner)).isEqualTo(4_000_000);
    }

    @Test
    void shouldRedeemExactlyOnceWhenManyTransactionsRaceForTheSameCode() throws Exception {
        int racers = 6;
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            users.add(client.createUser());
        }
        String hash = CustomerKeys.hash(createBatch("stampede-" + UUID.randomUUID(), 750_000, 1, null).get(0));
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Change.CommandResult>> futures = new ArrayList<>();
        try {
            // Straight into the processor from several threads: no Kafka partition orders them, only the database.
            for (long user : users) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return processor.process(CommandEnvelope.of(UUID.randomUUID().toString(), "it", null,
                            new Command.RedeemCode(hash, user)));
                }));
            }
            start.countDown();
            List<Change.CommandResult> results = new ArrayList<>();
            for (Future<Change.CommandResult> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }

            assertThat(results).filteredOn(Change.CommandResult::ok).hasSize(1);
            assertThat(results).filteredOn(r -> !r.ok())
                    .hasSize(racers - 1)
                    .allSatisfy(r -> assertThat(r.code()).isEqualTo("conflict"));
        } finally {
            pool.shutdownNow();
        }
        long credited = 0;
        int entries = 0;
        for (long user : users) {
            credited += balance(user);
            entries += redemptionEntries(user);
        }
        assertThat(credited).isEqualTo(750_000);
        assertThat(entries).isEqualTo(1);
    }

    @Test
    void shouldStoreTenThousandCodesAndRefuseReusedNamesAndHashesWhenABatchIsCreated() {
        String name = "big-" + UUID.randomUUID();
        long started = System.nanoTime();
        List<String> codes = createBatch(name, 100_000, 10_000, null);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("created a batch of 10,000 codes in %d ms (send to result)%n", millis);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM redemption_codes WHERE batch_name = ?", Integer.class,
                name)).isEqualTo(10_000);

        Change.CommandResult sameName = client.command(batchOf(name, 100_000, List.of(newCode()), null));
        Change.CommandResult sameHash = client.command(batchOf("other-" + UUID.randomUUID(), 100_000,
                List.of(newCode(), codes.get(9_999)), null));
        Change.CommandResult zero = client.command(batchOf("zero-" + UUID.randomUUID(), 0, List.of(newCode()), null));
        Change.CommandResult empty = client.command(batchOf("empty-" + UUID.randomUUID(), 1, List.of(), null));
        String twice = newCode();
        Change.CommandResult repeated = client.command(batchOf("twice-" + UUID.randomUUID(), 1, List.of(twice, twice), null));

        assertThat(sameName.code()).isEqualTo("conflict");
        assertThat(sameHash.code()).isEqualTo("conflict");
        assertThat(zero.code()).isEqualTo("invalid");
        assertThat(empty.code()).isEqualTo("invalid");
        assertThat(repeated.code()).isEqualTo("invalid");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM redemption_codes WHERE batch_name = ?", Integer.class,
                name)).as("the name's batch gained nothing").isEqualTo(10_000);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM redemption_codes WHERE batch_name LIKE 'other-%' "
                + "OR batch_name LIKE 'zero-%' OR batch_name LIKE 'empty-%' OR batch_name LIKE 'twice-%'",
                Integer.class)).as("nothing of the refused batches is stored").isZero();
    }

    private List<String> createBatch(String name, long amount, int count, Instant expiresAt) {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            codes.add(newCode());
        }
        Change.CommandResult result = client.command(batchOf(name, amount, codes, expiresAt));
        assertThat(result.ok()).as("create batch: %s", result).isTrue();
        assertThat(result.entity()).isEqualTo("redemption_batch");
        assertThat(result.entityId()).isEqualTo(name);
        return codes;
    }

    private static Command.CreateRedemptionCodes batchOf(String name, long amount, List<String> codes,
            Instant expiresAt) {
        return new Command.CreateRedemptionCodes(name, amount, codes.stream().map(CustomerKeys::hash).toList(),
                codes.stream().map(CustomerKeys::displayPrefix).toList(), expiresAt);
    }

    /** The admin's code shape; only its hash and prefix reach the ledger. */
    private static String newCode() {
        return "tgr-" + CustomerKeys.generate().substring(3, 27);
    }

    private long balance(long user) {
        return jdbc.queryForObject("SELECT balance_micros FROM users WHERE id = ?", Long.class, user);
    }

    private int redemptionEntries(long user) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM journal WHERE user_id = ? AND kind = 'redemption'",
                Integer.class, user);
    }
}
