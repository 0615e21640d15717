package dev.tollgate.relay.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import dev.tollgate.relay.snapshot.UserState;
import dev.tollgate.testsupport.TestKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two relays (a limiter, its peer counts and its sharing each) on a real Kafka: a key limited to 100 requests per
 * minute gets 300 requests spread over both, and the admitted total stays within the documented bound.
 */
class RateShareIT {

    private static final Logger log = LoggerFactory.getLogger(RateShareIT.class);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int RPM = 100;
    private static final int REQUESTS = 300;
    /** 50 requests a second in all, 25 a second on each relay. */
    private static final long SPACING_MS = 20;

    private final Topics topics = new Topics(TestKafka.uniquePrefix());
    private Relay a;
    private Relay b;

    private record Relay(RateLimiter limiter, RateShare share) {
    }

    @BeforeEach
    void startTwoRelays() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.rateLimits(), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        a = relay(bootstrap, "relay-a");
        b = relay(bootstrap, "relay-b");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.share().following() && b.share().following());
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.share().stop();
        }
        if (b != null) {
            b.share().stop();
        }
    }

    private Relay relay(String bootstrap, String relayId) {
        Clock clock = Clock.systemUTC();
        RelaySnapshot snapshot = new RelaySnapshot(null, null, relayId, new PendingCharges(), 10, 10,
                Duration.ofSeconds(30));
        PeerCounts peers = new PeerCounts(relayId, Duration.ofSeconds(5));
        RateLimiter limiter = new RateLimiter(snapshot, peers, clock);
        RateShare share = RateShare.kafka(bootstrap, "none", topics.rateLimits(), relayId, limiter, peers, INTERVAL,
                clock);
        share.start();
        return new Relay(limiter, share);
    }

    @Test
    void shouldHoldAKeysLimitAcrossTwoRelaysWithinTheDocumentedBound() {
        KeyState key = new KeyState(7, 1, "hash", null, null, 0, Set.of(), List.of(), null, true, false, 1, RPM, null,
                null);
        Principal principal = new Principal(key, new UserState(1, "default", true, 1, true, 0, 1, true), "default");
        int admittedA = 0;
        int admittedB = 0;
        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(i * SPACING_MS);
            LockSupport.parkNanos(due - System.nanoTime());
            Relay relay = i % 2 == 0 ? a : b;
            try {
                relay.limiter().acquire(principal, 0).settle(0);
                if (relay == a) {
                    admittedA++;
                } else {
                    admittedB++;
                }
            } catch (Rejection refused) {
                assertThat(refused.kind()).isEqualTo(Rejection.Kind.RATE_LIMITED);
            }
        }
        int admitted = admittedA + admittedB;
        double perRelayRate = 1000.0 / (SPACING_MS * 2);
        // docs/accounting.md: overshoot ≤ the other relays' admission rate × (sharing interval + delivery), here with
        // a second of delivery slack on a loaded CI machine.
        int bound = (int) Math.ceil(perRelayRate * (INTERVAL.toMillis() + 1000) / 1000.0 * (2 - 1));
        log.info("Rate limit {} rpm across 2 relays, {} requests at {} req/s, sharing every {} ms: admitted {} "
                        + "(relay-a {}, relay-b {}), overshoot {} ({}%), bound {}", RPM, REQUESTS,
                1000 / SPACING_MS, INTERVAL.toMillis(), admitted, admittedA, admittedB, admitted - RPM,
                (admitted - RPM) * 100 / RPM, bound);
        System.out.printf("RATE-LIMIT-ACCURACY rpm=%d relays=2 offered=%d rate=%d/s interval=%dms admitted=%d "
                        + "overshoot=%d bound=%d%n", RPM, REQUESTS, 1000 / SPACING_MS, INTERVAL.toMillis(), admitted,
                admitted - RPM, bound);

        assertThat(admitted).isGreaterThanOrEqualTo(RPM).isLessThanOrEqualTo(RPM + bound);
        assertThat(admittedA).as("both relays admitted, each counting the other's").isPositive();
        assertThat(admittedB).isPositive();
        assertThat(admitted).as("without sharing each relay would admit its own 100").isLessThan(2 * RPM);
    }
}
