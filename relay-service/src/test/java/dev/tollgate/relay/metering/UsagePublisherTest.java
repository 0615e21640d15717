package dev.tollgate.relay.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.admission.Reservation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UsagePublisherTest {

    private final PendingCharges pending = new PendingCharges();
    private final List<UsageEvent> sent = new CopyOnWriteArrayList<>();
    private final UsagePublisher publisher = new UsagePublisher(sent::add, pending);

    private Reservation reserve(long micros) {
        return pending.tryReserve(1, 10, micros, 1_000_000, null).reservation();
    }

    private static UsageEvent event() {
        return UsageEvent.builder().requestId("r").userId(1).keyId(10).build();
    }

    @Test
    void shouldHoldChargeUnderItsSeqUntilBalanceIncludesItWhenPublished() {
        Reservation r = reserve(500);
        long seq = publisher.publish(new UsagePublisher.Finished(event(), r, 120));

        assertThat(sent).singleElement().extracting(UsageEvent::relaySeq).isEqualTo(seq);
        assertThat(pending.pending(1)).isEqualTo(120);
        pending.balanceIncludes(1, seq);
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldHoldNothingWhenPublishedRequestCostNothing() {
        Reservation r = reserve(500);
        publisher.publish(new UsagePublisher.Finished(event(), r, 0));

        assertThat(sent).hasSize(1);
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldReleaseReservationWhenBuildingTheEventFails() {
        Reservation r = reserve(500);
        publisher.publishLater(() -> {
            throw new ArithmeticException("cost overflow");
        }, r);
        publisher.close(); // waits for the queued work

        assertThat(sent).isEmpty();
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldReleaseReservationWhenPublisherIsAlreadyClosed() {
        Reservation r = reserve(500);
        publisher.close();
        publisher.publishLater(() -> new UsagePublisher.Finished(event(), r, 100), r);

        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldNotHoldChargeWhenSinkRefusesTheEvent() {
        UsagePublisher refusing = new UsagePublisher(e -> {
            throw new IllegalStateException("producer closed");
        }, pending);
        Reservation r = reserve(500);

        assertThatThrownBy(() -> refusing.publish(new UsagePublisher.Finished(event(), r, 120)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(pending.pending(1)).isZero();
    }
}
