package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.upstream.UpstreamProbe;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A channel whose upstream refuses its key is switched off on every relay: one request through relay 1 meets a
 * 401, relay 1 reports it, the ledger disables the channel and announces it, and both relays stop routing to it
 * within a second (measured and printed). Once the upstream answers again, the ledger's probe (every second
 * here) switches the channel back on and both relays serve again.
 */
class AutoDisableIT {

    private static final Price PRICE = Price.perMTok(150_000, 600_000);
    private static final long TOP_UP = 100_000_000;
    private static final Duration PROPAGATION_BOUND = Duration.ofSeconds(1);

    private static TestDatabase db;
    private static Simulator sim;
    private static Stack stack;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        sim = Simulator.start(0);
        stack = Stack.start(FaultFixture.settings("auto-disable", db, TestKafka.bootstrapServers())
                .relays(TestPorts.freePort(), TestPorts.freePort())
                .envFor(Stack.LEDGER, "TOLLGATE_LEDGER_PROBE_INTERVAL", "1s"));
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
    void shouldStopRoutingOnEveryRelayWithinASecondAndServeAgainAfterTheProbeWhenTheUpstreamRefusesTheKey()
            throws Exception {
        FaultFixture.answerWith(sim, 100, 10);
        FaultFixture.Seeded seeded = FaultFixture.seed(stack, sim, PRICE, TOP_UP, "auto-ann");
        String key = seeded.customer().key();
        String relay1 = stack.relayUrl(1);
        String relay2 = stack.relayUrl(2);

        sim.config(SimulatorConfig.defaults().withFailure(401, 0));
        RelayCalls.Answer refused = RelayCalls.chat(relay1, key, FaultFixture.MODEL, 10);
        assertThat(refused.ok()).as(refused.body()).isFalse();
        long refusedAt = refused.atMillis();

        // Each relay has stopped once its answer comes without a customer call reaching the upstream. The ledger's
        // probe keeps calling the upstream meanwhile (every second here); its calls are told apart by User-Agent.
        long relay2Ms = firstRefusalToRoute(relay2, key).atMillis() - refusedAt;
        long relay1Ms = firstRefusalToRoute(relay1, key).atMillis() - refusedAt;
        System.out.println("[auto-disable] from relay 1's refused answer to each relay's first refusal to route: "
                + "relay 2 " + relay2Ms + " ms, relay 1 " + relay1Ms + " ms");

        long before = customerCalls();
        for (String relay : new String[] {relay1, relay2, relay1, relay2}) {
            RelayCalls.Answer again = RelayCalls.chat(relay, key, FaultFixture.MODEL, 10);
            assertThat(again.status()).as(again.body()).isIn(404, 503);
        }
        assertThat(customerCalls()).as("no relay calls the disabled channel").isEqualTo(before);
        assertThat(autoDisabled()).isTrue();
        assertThat(Math.max(relay1Ms, relay2Ms)).as("disable reached both relays within %s", PROPAGATION_BOUND)
                .isLessThanOrEqualTo(PROPAGATION_BOUND.toMillis());

        sim.config(SimulatorConfig.defaults().withPromptTokens(100).withCompletionTokens(10));
        long healedAt = System.currentTimeMillis();
        for (String relay : new String[] {relay1, relay2}) {
            await("relay " + relay + " serves again after the probe").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> RelayCalls.chat(relay, key, FaultFixture.MODEL, 10).ok());
        }
        System.out.println("[auto-disable] from the upstream healing to both relays serving: "
                + (System.currentTimeMillis() - healedAt) + " ms");
        assertThat(autoDisabled()).isFalse();
    }

    /** Polls the relay until it answers 404 or 503 without calling the upstream; returns that answer. */
    private static RelayCalls.Answer firstRefusalToRoute(String relay, String key) {
        RelayCalls.Answer[] refusal = new RelayCalls.Answer[1];
        await("relay " + relay + " stops routing to the channel").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    long before = customerCalls();
                    RelayCalls.Answer a = RelayCalls.chat(relay, key, FaultFixture.MODEL, 10);
                    boolean notRouted = customerCalls() == before && (a.status() == 404 || a.status() == 503);
                    if (notRouted) {
                        refusal[0] = a;
                    }
                    return notRouted;
                });
        return refusal[0];
    }

    /** Upstream calls made for customers: everything the simulator saw but the ledger's probes. */
    private static long customerCalls() {
        return sim.requests().stream()
                .filter(r -> !UpstreamProbe.USER_AGENT.equals(r.header("User-Agent")))
                .count();
    }

    private static boolean autoDisabled() throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT auto_disabled FROM channels WHERE name = ?")) {
            ps.setString(1, "sim-" + FaultFixture.MODEL);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the channel exists").isTrue();
                return rs.getBoolean(1);
            }
        }
    }
}
