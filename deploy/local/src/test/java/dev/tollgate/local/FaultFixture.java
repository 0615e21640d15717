package dev.tollgate.local;

import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What every fault test sets up: a Stack on its own ports and topic prefix, a simulator channel with a price,
 * and a customer whose key, channel and price every relay already knows before the fault starts.
 */
final class FaultFixture {

    static final String ADMIN_PASSWORD = "fault-admin-pass";
    static final String MODEL = "gpt-4o-mini";
    /** Only start-up lines on the console: under faults the services warn a lot, and the logs keep it all. */
    static final Predicate<String> QUIET = line -> line.contains("Started ") || line.contains("APPLICATION FAILED TO START");
    static final Duration SETTLE = Duration.ofSeconds(180);

    /** A seeded customer, and the answers the warm-up got (its 200s are charged like any other). */
    record Seeded(AdminApi admin, AdminApi.Customer customer, List<RelayCalls.Answer> warmUp) {
    }

    private FaultFixture() {
    }

    /** Services on MySQL {@code db} (override per service with {@code dbFor}) and {@code kafka}; logs under target. */
    static Stack.Settings settings(String name, TestDatabase db, String kafka) {
        Path root = TestPorts.repoRoot();
        return new Stack.Settings(root)
                .db(db.host(), db.port(), db.name(), db.user(), db.password())
                .kafka(kafka)
                .topicPrefix(TestKafka.uniquePrefix())
                .secrets("fault-session-" + UUID.randomUUID(), "fault-master-" + UUID.randomUUID(), ADMIN_PASSWORD)
                .ports(TestPorts.freePort(), TestPorts.freePort(), TestPorts.freePort(), TestPorts.freePort())
                .relayId(name + "-relay")
                .logDir(root.resolve("deploy/local/target/fault-logs").resolve(name))
                .console(System.out, QUIET);
    }

    static long cost(int promptTokens, int completionTokens, Price price) {
        return Cost.micros(TokenUsage.fromOpenAi(promptTokens, 0, completionTokens, 0), price, 10_000);
    }

    /**
     * Fixed token counts (so each request's cost is known) and 100 ms of upstream latency: four clients then send
     * at most ~40 requests/s, steady load that leaves the two shared cores to the services under test.
     */
    static void answerWith(Simulator sim, int promptTokens, int completionTokens) {
        sim.config(SimulatorConfig.defaults().withPromptTokens(promptTokens).withCompletionTokens(completionTokens)
                .withLatencyMs(100));
    }

    /**
     * Channel and price for {@link #MODEL}, a customer with {@code topUp}, and a wait until every relay has the
     * channel, the price (a customer with 1 micro is refused) and the customer's key (a 200 on each relay).
     */
    static Seeded seed(Stack stack, Simulator sim, Price price, long topUp, String username) {
        AdminApi admin = AdminApi.login(stack.adminUrl(), "admin", ADMIN_PASSWORD);
        admin.channelAndPrice(sim.baseUrl(), MODEL, price.inputMicrosPerMTok(), price.outputMicrosPerMTok());
        awaitPriceOnEveryRelay(stack, admin, username + "-poor");
        AdminApi.Customer customer = admin.customer(username, topUp);
        List<RelayCalls.Answer> warmUp = new ArrayList<>();
        for (int i = 1; i <= stack.relayCount(); i++) {
            String relay = stack.relayUrl(i);
            await("relay " + i + " serves " + username).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        RelayCalls.Answer a = RelayCalls.chat(relay, customer.key(), MODEL, 500);
                        warmUp.add(a);
                        return a.ok();
                    });
        }
        return new Seeded(admin, customer, warmUp);
    }

    /** A customer holding 1 micro is refused (429) only by a relay that knows the price and the channel. */
    static void awaitPriceOnEveryRelay(Stack stack, AdminApi admin, String username) {
        AdminApi.Customer poor = admin.customer(username, 1);
        for (int i = 1; i <= stack.relayCount(); i++) {
            String relay = stack.relayUrl(i);
            await("relay " + i + " knows the price").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> RelayCalls.chat(relay, poor.key(), MODEL, 500).status() == 429);
        }
    }

    /** Waits until the load has produced {@code more} further answers (so a phase of the test has really run). */
    static void awaitMoreAnswers(LoadDriver load, int more, Duration deadline) {
        int target = load.count() + more;
        await("" + more + " more answers").atMost(deadline).pollInterval(Duration.ofMillis(100))
                .until(() -> load.count() >= target);
    }
}
