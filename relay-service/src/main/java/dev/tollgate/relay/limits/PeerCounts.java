package dev.tollgate.relay.limits;

import dev.tollgate.contracts.events.RateCounts;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The other relays' latest window counts, as they shared them on the rate-limit topic. A relay not heard from for
 * {@code staleAfter} is left out (it stopped, or cannot reach Kafka): its counts would otherwise hold a limit down
 * forever. This relay's own records are ignored.
 */
public class PeerCounts {

    private final String selfRelayId;
    private final long staleAfterMs;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    public PeerCounts(String selfRelayId, Duration staleAfter) {
        this.selfRelayId = selfRelayId;
        this.staleAfterMs = staleAfter.toMillis();
    }

    /** Takes one record; a newer tick replaces the relay's counts, another part of the same tick adds to them. */
    public void accept(RateCounts counts, long receivedAtMs) {
        if (counts.relayId().equals(selfRelayId)) {
            return;
        }
        peers.compute(counts.relayId(), (relay, old) -> merge(old, counts, receivedAtMs));
    }

    private Peer merge(Peer old, RateCounts counts, long receivedAtMs) {
        boolean fresh = old != null && receivedAtMs - old.heardAtMs <= staleAfterMs;
        if (fresh && counts.tick() < old.tick) {
            return old;
        }
        Map<String, RateWindow.Counts> scopes = fresh && counts.tick() == old.tick ? new HashMap<>(old.scopes)
                : new HashMap<>();
        for (RateCounts.Scope scope : counts.scopes()) {
            scopes.put(scope.scope(), new RateWindow.Counts(scope.requests(), scope.tokens()));
        }
        return new Peer(counts.tick(), receivedAtMs, Map.copyOf(scopes));
    }

    /** What the live other relays counted for the scope in their last shared windows. */
    RateWindow.Counts totals(String scope, long nowMs) {
        RateWindow.Counts sum = RateWindow.Counts.NONE;
        for (Peer peer : peers.values()) {
            if (nowMs - peer.heardAtMs <= staleAfterMs) {
                RateWindow.Counts counts = peer.scopes.get(scope);
                if (counts != null) {
                    sum = sum.plus(counts);
                }
            }
        }
        return sum;
    }

    /** How many other relays were heard from within {@code staleAfter}; forgets those silent for longer. */
    public int livePeers(long nowMs) {
        peers.values().removeIf(peer -> nowMs - peer.heardAtMs > staleAfterMs * 4);
        return (int) peers.values().stream().filter(peer -> nowMs - peer.heardAtMs <= staleAfterMs).count();
    }

    private record Peer(long tick, long heardAtMs, Map<String, RateWindow.Counts> scopes) {
    }
}
