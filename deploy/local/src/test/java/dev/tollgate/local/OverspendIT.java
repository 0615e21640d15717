package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overspend bound, measured: a user whose balance covers 10 requests at the estimate, 200 concurrent requests
 * split across two relays. Each relay admits against last balance − its own unapplied reservations, so with N
 * relays the total charged exceeds the starting balance B0 by at most {@code (N − 1) × B0 + N × c_max}.
 */
class OverspendIT {

    private static final int RELAYS = 2;
    private static final int REQUESTS = 200;
    /** Input free, output 10 micros a token: an estimate is exactly max_tokens × 10, whatever the prompt count. */
    private static final Price PRICE = Price.perMTok(0, 10_000_000);
    private static final int MAX_TOKENS = 100;
    /** The simulator reports exactly max_tokens, so each admitted request costs exactly its estimate. */
    private static final int COMPLETION = MAX_TOKENS;
    private static final long C_MAX = FaultFixture.cost(0, MAX_TOKENS, PRICE);
    private static final long B0 = 10 * C_MAX;

    private static TestDatabase db;
    private static Simulator sim;
    private static Stack stack;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        sim = Simulator.start(0);
        int[] ports = new int[RELAYS];
        for (int i = 0; i < RELAYS; i++) {
            ports[i] = TestPorts.freePort();
        }
        stack = Stack.start(FaultFixture.settings("overspend", db, TestKafka.bootstrapServers()).relays(ports));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void shouldKeepOverspendWithinTheDocumentedBoundAcrossTwoRelays() {
        // Slow enough upstream that the 200 requests are all in flight together.
        sim.config(SimulatorConfig.defaults().withPromptTokens(7).withCompletionTokens(COMPLETION).withLatencyMs(300));
        AdminApi admin = AdminApi.login(stack.adminUrl(), "admin", FaultFixture.ADMIN_PASSWORD);
        admin.channelAndPrice(sim.baseUrl(), FaultFixture.MODEL, PRICE.inputMicrosPerMTok(), PRICE.outputMicrosPerMTok());
        FaultFixture.awaitPriceOnEveryRelay(stack, admin, "overspend-poor");
        AdminApi.Customer ann = admin.customer("overspend-ann", B0);
        for (int i = 1; i <= RELAYS; i++) {
            String relay = stack.relayUrl(i);
            // An estimate far above the balance: refused (429) once the relay knows the key, and costs nothing.
            await("relay " + i + " knows the key").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> RelayCalls.chat(relay, ann.key(), FaultFixture.MODEL, 1_000_000).status() == 429);
        }
        assertThat(LedgerRows.balance(db, ann.userId())).isEqualTo(B0);

        List<CompletableFuture<RelayCalls.Answer>> calls = new ArrayList<>();
        for (int n = 0; n < REQUESTS; n++) {
            calls.add(RelayCalls.chatAsync(stack.relayUrl(1 + n % RELAYS), ann.key(), FaultFixture.MODEL, MAX_TOKENS));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).orTimeout(120, java.util.concurrent.TimeUnit.SECONDS).join();
        List<RelayCalls.Answer> answers = calls.stream().map(CompletableFuture::join).toList();
        Map<Integer, Long> statuses = LoadDriver.statuses(answers);
        assertThat(statuses.keySet()).as("only 200 and 429: " + statuses).containsAnyOf(200).isSubsetOf(200, 429);

        long admitted = statuses.getOrDefault(200, 0L);
        long charged = LedgerRows.assertEveryOkChargedOnce(db, ann.userId(), B0, answers, C_MAX, Duration.ofSeconds(60));
        long balance = LedgerRows.balance(db, ann.userId());
        long overspend = Math.max(0, charged - B0);
        long bound = (RELAYS - 1) * B0 + RELAYS * C_MAX;
        System.out.printf("overspend: relays=%d requests=%d B0=%d c_max=%d admitted=%d charged=%d final_balance=%d "
                        + "overspend=%d bound=%d (= (N-1)*B0 + N*c_max)%n",
                RELAYS, REQUESTS, B0, C_MAX, admitted, charged, balance, overspend, bound);

        assertThat(admitted).as("admitted at least what the balance covers").isGreaterThanOrEqualTo(B0 / C_MAX);
        assertThat(charged).as("total charged ≤ B0 + bound").isLessThanOrEqualTo(B0 + bound);
        assertThat(balance).as("final balance ≥ −bound").isGreaterThanOrEqualTo(-bound);
        Reconciliation.Report report = Reconciliation.run(stack.ledgerUrl(), db);
        assertThat(report.differences()).as("reconciliation differences (" + report.source() + ")").isEmpty();
    }
}
