package dev.tollgate.relay.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingChargesTest {

    private final PendingCharges pending = new PendingCharges();

    @Test
    void shouldCountReservationAsPendingWhileRequestIsInFlight() {
        PendingCharges.Outcome outcome = pending.tryReserve(1, 10, 300, 1_000, null);
        assertThat(outcome.admitted()).isTrue();
        assertThat(pending.pending(1)).isEqualTo(300);
        assertThat(pending.pendingForKey(1, 10)).isEqualTo(300);
        assertThat(pending.pending(2)).isZero();
    }

    @Test
    void shouldRefuseWhenBalanceMinusPendingDoesNotCoverEstimate() {
        assertThat(pending.tryReserve(1, 10, 600, 1_000, null).admitted()).isTrue();
        PendingCharges.Outcome second = pending.tryReserve(1, 10, 600, 1_000, null);
        assertThat(second.admitted()).isFalse();
        assertThat(second.refusal()).isEqualTo(PendingCharges.Refusal.USER_BALANCE);
        assertThat(pending.tryReserve(1, 10, 400, 1_000, null).admitted()).isTrue();
    }

    @Test
    void shouldRefuseWhenKeyQuotaMinusKeyPendingDoesNotCoverEstimate() {
        assertThat(pending.tryReserve(1, 10, 60, 1_000_000, 100L).admitted()).isTrue();
        PendingCharges.Outcome outcome = pending.tryReserve(1, 10, 60, 1_000_000, 100L);
        assertThat(outcome.refusal()).isEqualTo(PendingCharges.Refusal.KEY_QUOTA);
        assertThat(pending.tryReserve(1, 11, 60, 1_000_000, 100L).admitted()).as("other key of the user").isTrue();
    }

    @Test
    void shouldAdmitZeroCostWhenBalanceIsZeroAndModelIsUnpriced() {
        assertThat(pending.tryReserve(1, 10, 0, 0, null).admitted()).isTrue();
    }

    @Test
    void shouldReplaceReservationByFinalChargeWhenSettled() {
        Reservation r = pending.tryReserve(1, 10, 500, 1_000, null).reservation();
        pending.settle(r, 100, 120);
        assertThat(pending.pending(1)).isEqualTo(120);
        assertThat(pending.pendingForKey(1, 10)).isEqualTo(120);
    }

    @Test
    void shouldDropFinishedChargesUpToAppliedSeqWhenBalanceIncludesThem() {
        Reservation a = pending.tryReserve(1, 10, 100, 10_000, null).reservation();
        Reservation b = pending.tryReserve(1, 10, 100, 10_000, null).reservation();
        Reservation c = pending.tryReserve(1, 10, 100, 10_000, null).reservation();
        pending.settle(a, 100, 10);
        pending.settle(b, 101, 20);
        pending.settle(c, 102, 40);
        pending.balanceIncludes(1, 101);
        assertThat(pending.pending(1)).isEqualTo(40);
        pending.balanceIncludes(1, 102);
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldLeaveInFlightReservationsUntouchedWhenBalanceChanges() {
        Reservation done = pending.tryReserve(1, 10, 100, 10_000, null).reservation();
        pending.tryReserve(1, 10, 700, 10_000, null);
        pending.settle(done, 50, 30);
        pending.balanceIncludes(1, Long.MAX_VALUE);
        assertThat(pending.pending(1)).isEqualTo(700);
    }

    @Test
    void shouldForgetReservationWhenReleased() {
        Reservation r = pending.tryReserve(1, 10, 100, 1_000, null).reservation();
        pending.release(r);
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldNotHoldZeroCostChargesWhenSettled() {
        Reservation r = pending.tryReserve(1, 10, 100, 1_000, null).reservation();
        pending.settle(r, 7, 0);
        assertThat(pending.pending(1)).isZero();
    }

    @Test
    void shouldKeepNoEntryForUserWhenOnlyZeroCostChargesWereSettled() {
        Reservation free = pending.tryReserve(1, 10, 0, 0, null).reservation();
        Reservation paid = pending.tryReserve(1, 10, 50, 1_000, null).reservation();
        pending.settle(free, 7, 0);
        pending.settle(paid, 8, 0);
        // No balance change will ever name seq 7 or 8 (a batch costing nothing is not announced).
        assertThat(pending.pending(1)).isZero();
        assertThat(pending.usersHeld()).isZero();
    }

    @Test
    void shouldNotHoldChargeWhenLedgerAlreadyIncludedItsSeq() {
        Reservation early = pending.tryReserve(1, 10, 100, 1_000, null).reservation();
        Reservation late = pending.tryReserve(1, 10, 100, 1_000, null).reservation();
        pending.settle(early, 9, 40);
        pending.balanceIncludes(1, 10);
        pending.settle(late, 10, 40);
        assertThat(pending.pending(1)).isZero();
        assertThat(pending.usersHeld()).isZero();
    }

    @Test
    void shouldDropChargeWhenItsEventWasForgotten() {
        Reservation r = pending.tryReserve(1, 10, 100, 1_000, null).reservation();
        pending.settle(r, 12, 90);
        pending.forget(1, 12);
        assertThat(pending.pending(1)).isZero();
        assertThat(pending.usersHeld()).isZero();
    }

    @Test
    void shouldRemoveUserEntryWhenLastReservationIsReleased() {
        Reservation a = pending.tryReserve(1, 10, 100, 1_000, null).reservation();
        Reservation b = pending.tryReserve(1, 11, 100, 1_000, null).reservation();
        pending.release(a);
        pending.release(b);
        pending.release(b);
        assertThat(pending.usersHeld()).isZero();
    }

    @Test
    void shouldIgnoreBalanceChangesOfOtherUsersWhenDropping() {
        Reservation r = pending.tryReserve(1, 10, 100, 1_000, null).reservation();
        pending.settle(r, 7, 90);
        pending.balanceIncludes(2, 7);
        assertThat(pending.pending(1)).isEqualTo(90);
    }

    /** The running sums must equal a recount after any mix of reserve, release, settle, forget and apply. */
    @Test
    void shouldKeepSumsExactThroughAnyOrderOfChanges() {
        java.util.Random random = new java.util.Random(42);
        java.util.List<Reservation> inFlight = new java.util.ArrayList<>();
        java.util.TreeMap<Long, long[]> finished = new java.util.TreeMap<>(); // seq -> {keyId, micros}
        long seq = 0;
        long applied = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                long key = 10 + random.nextInt(3);
                PendingCharges.Outcome o = pending.tryReserve(1, key, 1 + random.nextInt(500), Long.MAX_VALUE / 4, null);
                inFlight.add(o.reservation());
            } else if (op < 5 && !inFlight.isEmpty()) {
                pending.release(inFlight.remove(random.nextInt(inFlight.size())));
            } else if (op < 8 && !inFlight.isEmpty()) {
                Reservation r = inFlight.remove(random.nextInt(inFlight.size()));
                long cost = random.nextInt(400);
                pending.settle(r, ++seq, cost);
                if (cost > 0) {
                    finished.put(seq, new long[] {r.keyId(), cost});
                }
            } else if (op < 9 && !finished.isEmpty()) {
                long forgotten = finished.lastKey();
                pending.forget(1, forgotten);
                finished.remove(forgotten);
            } else if (seq > applied) {
                applied = applied + 1 + random.nextInt((int) (seq - applied));
                pending.balanceIncludes(1, applied);
                finished.headMap(applied, true).clear();
            }
            for (long key = 10; key <= 12; key++) {
                long k = key;
                long expected = inFlight.stream().filter(r -> r.keyId() == k).mapToLong(Reservation::amountMicros).sum()
                        + finished.values().stream().filter(c -> c[0] == k).mapToLong(c -> c[1]).sum();
                assertThat(pending.pendingForKey(1, key)).as("key %d at step %d", key, step).isEqualTo(expected);
            }
            long expectedTotal = inFlight.stream().mapToLong(Reservation::amountMicros).sum()
                    + finished.values().stream().mapToLong(c -> c[1]).sum();
            assertThat(pending.pending(1)).as("step %d", step).isEqualTo(expectedTotal);
        }
    }
}
