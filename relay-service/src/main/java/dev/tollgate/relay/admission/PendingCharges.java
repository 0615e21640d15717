package dev.tollgate.relay.admission;

import dev.tollgate.relay.snapshot.BalanceListener;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
        return tryReserve(userId, keyId, amount, () -> balance, () -> keyRemaining);
    }

    /**
     * As above, reading the balance and the key's remaining quota inside the user's lock. They must be read
     * there: a balance change raises the known spend and then releases the charges it includes (under the same
     * lock), so a balance read before the lock may predate a release seen after it, and the released charge would
     * be counted nowhere (OverspendIT caught that as a request or three admitted beyond the bound).
     */
    public Outcome tryReserve(long userId, long keyId, long amount, LongSupplier balance,
            Supplier<Long> keyRemaining) {
        Outcome[] outcome = new Outcome[1];
        users.compute(userId, (id, entry) -> {
            UserPending pending = entry == null ? new UserPending() : entry;
            Long keyLeft;
            if (balance.getAsLong() - pending.total() < amount) {
                outcome[0] = new Outcome(null, Refusal.USER_BALANCE);
            } else if ((keyLeft = keyRemaining.get()) != null && keyLeft - pending.totalForKey(keyId) < amount) {
                outcome[0] = new Outcome(null, Refusal.KEY_QUOTA);
            } else {
                Reservation r = new Reservation(ids.incrementAndGet(), userId, keyId, amount);
                pending.reserve(r);
                outcome[0] = new Outcome(r, null);
            }
            return pending.isEmpty() ? null : pending;
        });
        return outcome[0];
    }

    /** The request ended without a charge: drop its reservation. */
    public void release(Reservation reservation) {
        users.computeIfPresent(reservation.userId(), (id, pending) -> {
            pending.unreserve(reservation.id());
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
            pending.unreserve(reservation.id());
            // Nothing to hold for a free request: the ledger announces no balance change for a batch costing
            // nothing, so a zero charge would never be released.
            if (costMicros > 0 && seq > pending.appliedSeq) {
                pending.finish(seq, new Charge(reservation.keyId(), costMicros));
            }
            return pending.isEmpty() ? null : pending;
        });
    }

    /** The usage event numbered {@code seq} was never sent: its charge will never be applied, so stop holding it. */
    public void forget(long userId, long seq) {
        users.computeIfPresent(userId, (id, pending) -> {
            pending.unfinish(seq);
            return pending.isEmpty() ? null : pending;
        });
    }

    /** The user's known balance includes this relay's events up to {@code seq}: those charges are no longer pending. */
    @Override
    public void balanceIncludes(long userId, long seq) {
        users.computeIfPresent(userId, (id, pending) -> {
            pending.applied(seq);
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

    /**
     * One user's pending money; changed only inside {@code users.compute*}. The sums are kept as entries come
     * and go: summing on every admission was O(pending) and, with the ledger a few seconds behind at a thousand
     * requests a second, took half the relay's CPU (JFR, ./tollgate bench relay).
     */
    private static final class UserPending {
        private final Map<Long, Reservation> inFlight = new HashMap<>();
        private final NavigableMap<Long, Charge> finished = new TreeMap<>();
        /** Pending micros by key id; a key with nothing pending has no entry. */
        private final Map<Long, Long> byKey = new HashMap<>();
        private long total;
        private long appliedSeq;

        synchronized void reserve(Reservation r) {
            inFlight.put(r.id(), r);
            add(r.keyId(), r.amountMicros());
        }

        synchronized void unreserve(long reservationId) {
            Reservation r = inFlight.remove(reservationId);
            if (r != null) {
                add(r.keyId(), -r.amountMicros());
            }
        }

        synchronized void finish(long seq, Charge charge) {
            Charge old = finished.put(seq, charge);
            if (old != null) {
                add(old.keyId(), -old.micros());
            }
            add(charge.keyId(), charge.micros());
        }

        synchronized void unfinish(long seq) {
            Charge c = finished.remove(seq);
            if (c != null) {
                add(c.keyId(), -c.micros());
            }
        }

        /** Charges up to {@code seq} are in the known balance now. */
        synchronized void applied(long seq) {
            NavigableMap<Long, Charge> done = finished.headMap(seq, true);
            for (Charge c : done.values()) {
                add(c.keyId(), -c.micros());
            }
            done.clear();
            appliedSeq = Math.max(appliedSeq, seq);
        }

        private void add(long keyId, long delta) {
            total += delta;
            byKey.merge(keyId, delta, (a, b) -> a + b == 0 ? null : a + b);
        }

        synchronized long total() {
            return total;
        }

        synchronized long totalForKey(long keyId) {
            return byKey.getOrDefault(keyId, 0L);
        }

        synchronized boolean isEmpty() {
            // appliedSeq alone is not worth keeping: a seq can only be settled after it was assigned.
            return inFlight.isEmpty() && finished.isEmpty();
        }
    }
}
