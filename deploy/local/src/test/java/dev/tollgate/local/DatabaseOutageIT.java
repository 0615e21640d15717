package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.testsupport.TcpProxy;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MySQL unreachable for ~15 s under load (every service reaches it through a TcpProxy the test cuts): the relay
 * keeps serving known keys from its snapshot, the ledger stops applying, retries and resumes after restore; every
 * 200 is charged exactly once.
 */
class DatabaseOutageIT {

    private static final Price PRICE = Price.perMTok(150_000, 600_000);
    private static final int PROMPT = 1000;
    private static final int COMPLETION = 500;
    private static final long TOP_UP = 100_000_000;
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    private static TestDatabase db;
    private static TcpProxy proxy;
    private static Simulator sim;
    private static Stack stack;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        proxy = TcpProxy.start(db.host(), db.port());
        sim = Simulator.start(0);
        stack = Stack.start(FaultFixture.settings("db-outage", db, TestKafka.bootstrapServers())
                .db(proxy.host(), proxy.port(), db.name(), db.user(), db.password()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void shouldServeFromTheSnapshotAndChargeEveryRequestOnceWhenMysqlIsDown() {
        FaultFixture.answerWith(sim, PROMPT, COMPLETION);
        FaultFixture.Seeded seeded = FaultFixture.seed(stack, sim, PRICE, TOP_UP, "db-ann");
        long userId = seeded.customer().userId();
        List<RelayCalls.Answer> answers = new ArrayList<>(seeded.warmUp());
        long cutAt;
        long restoredAt;
        int loggedAtCut;
        java.util.Set<String> loggedBeforeRestore;
        long t0 = System.nanoTime();
        try (LoadDriver load = new LoadDriver(List.of(stack.relayUrl()), seeded.customer().key(), FaultFixture.MODEL,
                COMPLETION).start(4)) {
            FaultFixture.awaitMoreAnswers(load, 40, Duration.ofSeconds(30));

            proxy.cut();
            cutAt = System.currentTimeMillis();
            loggedAtCut = LedgerRows.requestLog(db, userId).size();
            await("a " + OUTAGE.toSeconds() + " s outage").atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> System.currentTimeMillis() - cutAt >= OUTAGE.toMillis());
            loggedBeforeRestore = LedgerRows.requestLog(db, userId).keySet();
            proxy.restore();
            restoredAt = System.currentTimeMillis();
            FaultFixture.awaitMoreAnswers(load, 40, Duration.ofSeconds(60));
            answers.addAll(load.stop());
        }
        List<RelayCalls.Answer> during = LoadDriver.between(answers, cutAt, restoredAt);
        System.out.printf("db outage: %d requests (%d during the %d s cut), success %.4f overall, %.4f during; "
                        + "statuses %s; request_log rows %d at the cut, %d before restore%n",
                answers.size(), during.size(), (restoredAt - cutAt) / 1000, LoadDriver.successRatio(answers),
                LoadDriver.successRatio(during), LoadDriver.statuses(answers), loggedAtCut, loggedBeforeRestore.size());

        assertThat(during).as("requests answered while MySQL was cut").hasSizeGreaterThan(20);
        assertThat(LoadDriver.successRatio(during)).as("200s while MySQL was cut").isGreaterThanOrEqualTo(0.95);
        assertThat(LoadDriver.successRatio(answers)).as("200s overall").isGreaterThanOrEqualTo(0.95);
        // The proxy really was the ledger's only way in: nothing answered during the cut was applied before the
        // restore (a second of slack for a batch that was committing at the instant of the cut).
        List<RelayCalls.Answer> wellInsideTheCut = LoadDriver.between(answers, cutAt + 1000, restoredAt);
        assertThat(LoadDriver.okIds(wellInsideTheCut)).as("requests of the cut applied before the restore")
                .doesNotContainAnyElementsOf(loggedBeforeRestore);

        long charged = LedgerRows.assertEveryOkChargedOnce(db, userId, TOP_UP, answers,
                FaultFixture.cost(PROMPT, COMPLETION, PRICE), FaultFixture.SETTLE);
        Reconciliation.Report report = Reconciliation.run(stack.ledgerUrl(), db);
        System.out.printf("db outage: %d requests charged %d micros; reconciliation (%s): %s; %d s in all%n",
                LoadDriver.okIds(answers).size(), charged, report.source(), report.differences(),
                (System.nanoTime() - t0) / 1_000_000_000);
        assertThat(report.differences()).as("reconciliation differences (" + report.source() + ")").isEmpty();
    }
}
