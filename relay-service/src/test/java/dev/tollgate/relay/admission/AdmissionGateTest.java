package dev.tollgate.relay.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import dev.tollgate.relay.snapshot.UserState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdmissionGateTest {

    private final PendingCharges pending = new PendingCharges();
    // No repository: prices arrive as changes, and the principal is built here.
    private final RelaySnapshot snapshot = new RelaySnapshot(null, null, "relay-a", pending, 10, 10,
            Duration.ofSeconds(30));
    private final AtomicBoolean spoolFull = new AtomicBoolean();
    private final AdmissionGate gate = new AdmissionGate(snapshot, pending, spoolFull::get);

    private static Principal principal(long balanceMicros) {
        KeyState key = new KeyState(7, 1, "hash", null, null, 0, Set.of(), List.of(), null, true, false, 1);
        UserState user = new UserState(1, "default", true, 1, true, balanceMicros, 1, true);
        return new Principal(key, user, "default");
    }

    @Test
    void shouldAnswerInsufficientQuotaWhenEstimateOverflowsALong() {
        snapshot.apply(new Change.PriceChanged("huge", 1, Price.perMTok(0, Long.MAX_VALUE / 2), null));

        assertThatThrownBy(() -> gate.admit(principal(Long.MAX_VALUE), "huge", 10, 10_000_000L, 128))
                .isInstanceOfSatisfying(Rejection.class,
                        r -> assertThat(r.kind()).isEqualTo(Rejection.Kind.INSUFFICIENT_QUOTA));
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldReserveOutputForEveryChoiceWhenNIsAboveOne() {
        // $1 per million output tokens: 1000 tokens per choice cost 1000 micros.
        snapshot.apply(new Change.PriceChanged("m", 1, Price.perMTok(0, 1_000_000), null));

        Admission one = gate.admit(principal(10_000), "m", 0, 1000L, 1);
        Admission four = gate.admit(principal(10_000), "m", 0, 1000L, 4);

        assertThat(one.estimateMicros()).isEqualTo(1_000);
        assertThat(four.estimateMicros()).isEqualTo(4_000);
        assertThatThrownBy(() -> gate.admit(principal(10_000), "m", 0, 1000L, 6))
                .as("5000 held, 6000 more asked, 10000 balance")
                .isInstanceOf(Rejection.class);
    }

    @Test
    void shouldRefuseAsNotPricedWhenModelHasNoPriceAndNoDefaultPrice() {
        assertThatThrownBy(() -> gate.admit(principal(10_000), "free-lunch", 10, 10L, 1))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.MODEL_NOT_PRICED);
                    assertThat(r.kind().status()).isEqualTo(400);
                    assertThat(r.param()).isEqualTo("model");
                    assertThat(r.getMessage()).isEqualTo("The model `free-lunch` has no price configured on this gateway.");
                });
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldAdmitAtDefaultPriceWhenModelHasNoPriceButStarPriceExists() {
        snapshot.apply(new Change.PriceChanged("*", 3, Price.perMTok(0, 1_000_000), null));

        Admission admitted = gate.admit(principal(10_000), "free-lunch", 0, 1000L, 1);

        assertThat(admitted.price().model()).isEqualTo("*");
        assertThat(admitted.price().version()).isEqualTo(3);
        assertThat(admitted.estimateMicros()).as("charged at the default price, not for free").isEqualTo(1_000);
    }

    @Test
    void shouldPreferModelsOwnPriceWhenDefaultPriceAlsoExists() {
        snapshot.apply(new Change.PriceChanged("*", 3, Price.perMTok(0, 1_000_000), null));
        snapshot.apply(new Change.PriceChanged("m", 1, Price.perMTok(0, 2_000_000), null));

        Admission admitted = gate.admit(principal(10_000), "m", 0, 1000L, 1);

        assertThat(admitted.price().model()).isEqualTo("m");
        assertThat(admitted.estimateMicros()).isEqualTo(2_000);
    }

    @Test
    void shouldRefuseWith503WithoutReservingWhenUsageSpoolIsFull() {
        snapshot.apply(new Change.PriceChanged("m", 1, Price.perMTok(0, 1_000_000), null));
        spoolFull.set(true);

        assertThatThrownBy(() -> gate.admit(principal(10_000), "m", 0, 1000L, 1))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.USAGE_SPOOL_FULL);
                    assertThat(r.kind().status()).isEqualTo(503);
                });
        assertThat(pending.pending(1)).isZero();

        spoolFull.set(false);
        assertThat(gate.admit(principal(10_000), "m", 0, 1000L, 1).reservation()).isNotNull();
    }

    @Test
    void shouldAdmitAgainstTheBalanceKnownNowNotTheOneTheRequestArrivedWith() {
        snapshot.apply(new Change.PriceChanged("m", 1, Price.perMTok(0, 1_000_000), null));
        Principal arrived = principal(10_000);
        // While this request read its body, an earlier one was charged 1000 and the ledger applied it: the balance
        // change lowers the balance and releases the charge.
        Admission earlier = gate.admit(arrived, "m", 0, 1000L, 1);
        pending.settle(earlier.reservation(), 5, 1_000);
        snapshot.apply(new Change.BalanceChanged(1, 9_000, 2, Map.of("relay-a", 5L), Map.of()));
        assertThat(pending.pending(1)).isZero();

        assertThatThrownBy(() -> gate.admit(arrived, "m", 0, 10_000L, 1))
                .as("10000 asked, 9000 left, though the request arrived seeing 10000")
                .isInstanceOf(Rejection.class);
        assertThat(gate.admit(arrived, "m", 0, 9_000L, 1).estimateMicros()).isEqualTo(9_000);
    }

    @Test
    void shouldCountKeySpendKnownNowAgainstTheKeysQuota() {
        snapshot.apply(new Change.PriceChanged("m", 1, Price.perMTok(0, 1_000_000), null));
        KeyState key = new KeyState(7, 1, "hash", null, 5_000L, 0, Set.of(), List.of(), null, true, false, 1);
        Principal arrived = new Principal(key, new UserState(1, "default", true, 1, true, 1_000_000, 1, true), "default");
        Admission earlier = gate.admit(arrived, "m", 0, 2_000L, 1);
        pending.settle(earlier.reservation(), 6, 2_000);
        snapshot.apply(new Change.BalanceChanged(1, 998_000, 2, Map.of("relay-a", 6L), Map.of(7L, 2_000L)));

        assertThatThrownBy(() -> gate.admit(arrived, "m", 0, 4_000L, 1)).as("quota 5000, 2000 spent")
                .isInstanceOf(Rejection.class);
        assertThat(gate.admit(arrived, "m", 0, 3_000L, 1).estimateMicros()).isEqualTo(3_000);
    }
}
