package dev.tollgate.relay.admission;

import dev.tollgate.relay.snapshot.BalanceListener;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this relay has spent of each user's balance that the balance it knows does not show yet:
 * (a) reservations of requests in flight, and (b) finished charges, by the relaySeq of their usage event,
 * until a balance change says the ledger has applied that seq. pending(user) = Σ(a) + Σ(b).
 *
 * <p>Every change of a user's entry happens inside {@link ConcurrentHashMap#compute}, so check-and-reserve is
 * atomic per user and empty entries are removed without racing a new reservation.
 */
public class PendingCharges implements BalanceListener {

    /** Why a reservation was refused. */
    public enum Refusal { USER_BALANCE, KEY_QUOTA }

    /** The outcome of {@link #tryReserve}: a reservation, or the reason there is none. */
    public record Outcome(Reservation reservation, Refusal refusal) {
        public boolean admitted() {
            return reservation != null;
        }
    }

    private final Map<Long, UserPending> users = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * Reserves {@code amount} when the user's view ({@code balance} − pending) and, if the key has a quota,
     * the key's view ({@code keyRemaining} − the key's pending) both cover it.
     *
     * @param keyRemaining the key's quota minus its known spend; null when the key has no quota
     */
    public Outcome tryReserve(long userId, long keyId, long amount, long balance, Long keyRemaining) {
        Outcome[] outcome = new Outcome[1];
        users.compute(userId, (id, entry) -> {
            UserPending pending = entry == null ? new UserPending() : entry;
            if (balance - pending.total() < amount) {
                outcome[0] = new Outcome(null, Refusal.USER_BALANCE);
            } else if (keyRemaining != null && keyRemaining - pending.totalForKey(keyId) < amount) {
                outcome[0] = new Outcome(null, Refusal.KEY_QUOTA);
            } else {
                Reservation r = new Reservation(ids.incrementAndGet(), userId, keyId, amount);
                pending.inFlight.put(r.id(), r);
                outcome[0] = new Outcome(r, null);
            }
            return pending.isEmpty() ? null : pending;
        });
        return outcome[0];
    }

    /** The request ended without a charge: drop its reservation. */
    public void release(Reservation reservation) {
        users.computeIfPresent(reservation.userId(), (id, pending) -> {
            pending.inFlight.remove(reservation.id());
            return pending.isEmpty() ? null : pending;
        });
    }

    /**
     * The request ended and its usage event got {@code seq}: the reservation becomes a finished charge of
     * {@code costMicros} until the ledger confirms it applied {@code seq}.
     */
    public void settle(Reservation reservation, long seq, long costMicros) {
        users.compute(reservation.userId(), (id, entry) -> {
            UserPending pending = entry == null ? new UserPending() : entry;
            pending.inFlight.remove(reservation.id());
            // Nothing to hold for a free request: the ledger announces no balance change for a batch costing
            // nothing, so a zero charge would never be released.
            if (costMicros > 0 && seq > pending.appliedSeq) {
                pending.finished.put(seq, new Charge(reservation.keyId(), costMicros));
            }
            return pending.isEmpty() ? null : pending;
        });
    }

    /** The usage event numbered {@code seq} was never sent: its charge will never be applied, so stop holding it. */
    public void forget(long userId, long seq) {
        users.computeIfPresent(userId, (id, pending) -> {
            pending.finished.remove(seq);
            return pending.isEmpty() ? null : pending;
        });
    }

    /** The user's known balance includes this relay's events up to {@code seq}: those charges are no longer pending. */
    @Override
    public void balanceIncludes(long userId, long seq) {
        users.computeIfPresent(userId, (id, pending) -> {
            pending.finished.headMap(seq, true).clear();
            pending.appliedSeq = Math.max(pending.appliedSeq, seq);
            return pending.isEmpty() ? null : pending;
        });
    }

    public long pending(long userId) {
        UserPending pending = users.get(userId);
        return pending == null ? 0 : pending.total();
    }

    public long pendingForKey(long userId, long keyId) {
        UserPending pending = users.get(userId);
        return pending == null ? 0 : pending.totalForKey(keyId);
    }

    /** Users with an entry: an entry with nothing pending is removed, so this is what a leak would grow. */
    int usersHeld() {
        return users.size();
    }

    private record Charge(long keyId, long micros) {
    }

    /** One user's pending money; only touched inside {@code users.compute*}, reads are approximate. */
    private static final class UserPending {
        private final Map<Long, Reservation> inFlight = new HashMap<>();
        private final NavigableMap<Long, Charge> finished = new TreeMap<>();
        private long appliedSeq;

        synchronized long total() {
            long sum = 0;
            for (Reservation r : inFlight.values()) {
                sum += r.amountMicros();
            }
            for (Charge c : finished.values()) {
                sum += c.micros();
            }
            return sum;
        }

        synchronized long totalForKey(long keyId) {
            long sum = 0;
            for (Reservation r : inFlight.values()) {
                sum += r.keyId() == keyId ? r.amountMicros() : 0;
            }
            for (Charge c : finished.values()) {
                sum += c.keyId() == keyId ? c.micros() : 0;
            }
            return sum;
        }

        boolean isEmpty() {
            // appliedSeq alone is not worth keeping: a seq can only be settled after it was assigned.
            return inFlight.isEmpty() && finished.isEmpty();
        }
    }
}
