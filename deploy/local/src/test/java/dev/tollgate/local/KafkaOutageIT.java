package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka unavailable for 30 s under steady load, on a broker of the test's own (stopped and started again on the
 * same port and data directory): the relay keeps answering, spools, replays; every 200 is charged exactly once.
 */
class KafkaOutageIT {

    private static final Price PRICE = Price.perMTok(150_000, 600_000);
    private static final int PROMPT = 1000;
    private static final int COMPLETION = 500;
    private static final long TOP_UP = 100_000_000;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestDatabase db;
    private static Simulator sim;
    private static Path kafkaDir;
    private static int kafkaPort;
    private static KafkaBroker broker;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        sim = Simulator.start(0);
        kafkaDir = Files.createTempDirectory("tollgate-outage-kafka-");
        kafkaPort = TestPorts.freePortPair();
        broker = KafkaBroker.start(kafkaPort, kafkaDir);
        stack = Stack.start(FaultFixture.settings("kafka-outage", db, broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.stop();
        }
        if (sim != null) {
            sim.close();
        }
        if (db != null) {
            db.close();
        }
        if (kafkaDir != null) {
            deleteQuietly(kafkaDir);
        }
    }

    @Test
    void shouldKeepServingSpoolAndChargeEveryRequestOnceWhenKafkaIsDownFor30Seconds() {
        FaultFixture.answerWith(sim, PROMPT, COMPLETION);
        FaultFixture.Seeded seeded = FaultFixture.seed(stack, sim, PRICE, TOP_UP, "kafka-ann");
        List<RelayCalls.Answer> answers = new ArrayList<>(seeded.warmUp());
        AtomicBoolean spoolingSeen = new AtomicBoolean();
        AtomicLong spooledMax = new AtomicLong();
        long downAt;
        long upAt;
        long t0 = System.nanoTime();
        try (LoadDriver load = new LoadDriver(List.of(stack.relayUrl()), seeded.customer().key(), FaultFixture.MODEL,
                COMPLETION).start(4)) {
            FaultFixture.awaitMoreAnswers(load, 40, Duration.ofSeconds(30));

            broker.stop();
            downAt = System.currentTimeMillis();
            // Poll the relay's health for the whole outage: it must say it is spooling.
            await("a " + OUTAGE.toSeconds() + " s outage").atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        observeSpool(spoolingSeen, spooledMax);
                        return System.currentTimeMillis() - downAt >= OUTAGE.toMillis();
                    });
            broker = KafkaBroker.start(kafkaPort, kafkaDir);
            upAt = System.currentTimeMillis();
            FaultFixture.awaitMoreAnswers(load, 40, Duration.ofSeconds(60));
            answers.addAll(load.stop());
        }
        List<RelayCalls.Answer> during = LoadDriver.between(answers, downAt, upAt);
        System.out.printf("kafka outage: %d requests (%d during the %d s outage), success %.4f overall, %.4f during; "
                        + "statuses %s; spooling seen %s, max spooledEvents %d%n",
                answers.size(), during.size(), (upAt - downAt) / 1000, LoadDriver.successRatio(answers),
                LoadDriver.successRatio(during), LoadDriver.statuses(answers), spoolingSeen.get(), spooledMax.get());

        assertThat(during).as("requests answered while Kafka was down").hasSizeGreaterThan(20);
        assertThat(LoadDriver.successRatio(during)).as("200s while Kafka was down").isGreaterThanOrEqualTo(0.95);
        assertThat(LoadDriver.successRatio(answers)).as("200s overall").isGreaterThanOrEqualTo(0.95);

        long charged = LedgerRows.assertEveryOkChargedOnce(db, seeded.customer().userId(), TOP_UP, answers,
                FaultFixture.cost(PROMPT, COMPLETION, PRICE), FaultFixture.SETTLE);
        Reconciliation.Report report = Reconciliation.run(stack.ledgerUrl(), db);
        System.out.printf("kafka outage: %d requests charged %d micros; reconciliation (%s): %s; %d s in all%n",
                LoadDriver.okIds(answers).size(), charged, report.source(), report.differences(),
                (System.nanoTime() - t0) / 1_000_000_000);
        assertThat(report.differences()).as("reconciliation differences (" + report.source() + ")").isEmpty();
        assertThat(spoolingSeen).as("relay health said 'spooling' while Kafka was down").isTrue();
    }

    /** Looks for the usage component of the relay's health and whether it says spooling. */
    private static void observeSpool(AtomicBoolean seen, AtomicLong spooledMax) {
        String body = RelayCalls.health(stack.relayUrl());
        if (body == null) {
            return;
        }
        JsonNode usage = JSON.readTree(body).path("components").path("usage");
        if (usage.isMissingNode()) {
            return;
        }
        if (usage.toString().toLowerCase().contains("spooling")) {
            seen.set(true);
        }
        JsonNode spooled = usage.findValue("spooledEvents");
        if (spooled != null && spooled.isNumber()) {
            spooledMax.accumulateAndGet(spooled.asLong(), Math::max);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp dir; best effort
        }
    }
}
