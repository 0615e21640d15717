package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger killed hard (SIGKILL, no graceful stop) several times under load, at random moments, and started
 * again: afterwards every request id is charged exactly once and balances equal the journal.
 */
class LedgerCrashIT {

    private static final Price PRICE = Price.perMTok(150_000, 600_000);
    private static final int PROMPT = 1000;
    private static final int COMPLETION = 500;
    private static final long TOP_UP = 100_000_000;
    private static final int KILLS = 3;

    private static TestDatabase db;
    private static Simulator sim;
    private static Stack stack;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        sim = Simulator.start(0);
        stack = Stack.start(FaultFixture.settings("ledger-crash", db, TestKafka.bootstrapServers()));
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
    void shouldChargeEveryRequestOnceWhenTheLedgerIsKilledUnderLoad() {
        FaultFixture.answerWith(sim, PROMPT, COMPLETION);
        FaultFixture.Seeded seeded = FaultFixture.seed(stack, sim, PRICE, TOP_UP, "crash-ann");
        List<RelayCalls.Answer> answers = new ArrayList<>(seeded.warmUp());
        List<String> kills = new ArrayList<>();
        long t0 = System.nanoTime();
        try (LoadDriver load = new LoadDriver(List.of(stack.relayUrl()), seeded.customer().key(), FaultFixture.MODEL,
                COMPLETION).start(4)) {
            for (int k = 1; k <= KILLS; k++) {
                // A random moment, counted in requests: the ledger is applying batches all the while.
                FaultFixture.awaitMoreAnswers(load, ThreadLocalRandom.current().nextInt(20, 120), Duration.ofSeconds(60));
                long pid = stack.ledger().pid();
                stack.kill(Stack.LEDGER);
                long killedAt = System.nanoTime();
                FaultFixture.awaitMoreAnswers(load, 20, Duration.ofSeconds(30)); // the relay serves without a ledger
                stack.restart(Stack.LEDGER);
                kills.add("pid " + pid + " at request " + load.count() + ", ready again after "
                        + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
            }
            FaultFixture.awaitMoreAnswers(load, 40, Duration.ofSeconds(60));
            answers.addAll(load.stop());
        }
        System.out.printf("ledger crash: %d kills (%s); %d requests, success %.4f, statuses %s%n", kills.size(), kills,
                answers.size(), LoadDriver.successRatio(answers), LoadDriver.statuses(answers));
        assertThat(LoadDriver.successRatio(answers)).as("200s while the ledger was down").isGreaterThanOrEqualTo(0.95);

        long charged = LedgerRows.assertEveryOkChargedOnce(db, seeded.customer().userId(), TOP_UP, answers,
                FaultFixture.cost(PROMPT, COMPLETION, PRICE), FaultFixture.SETTLE);
        Reconciliation.Report report = Reconciliation.run(stack.ledgerUrl(), db);
        System.out.printf("ledger crash: %d requests charged %d micros; reconciliation (%s): %s; %d s in all%n",
                LoadDriver.okIds(answers).size(), charged, report.source(), report.differences(),
                (System.nanoTime() - t0) / 1_000_000_000);
        assertThat(report.differences()).as("reconciliation differences (" + report.source() + ")").isEmpty();
    }
}
