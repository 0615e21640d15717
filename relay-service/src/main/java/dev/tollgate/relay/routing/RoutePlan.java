package dev.tollgate.relay.routing;

import dev.tollgate.relay.snapshot.Channel;
import java.util.List;

/**
 * The channels to try for one request, in order: the highest priority tier first, weighted random order within a
 * tier, the key's group before its fallback group; channels the relay's {@link ChannelHealth} holds back are left
 * out. Empty when no channel serves the model to these groups.
 *
 * @param heldBack true when channels serve the model but all of them are held back (open breaker, cooldown): the
 *                 client gets "try again later", not "model not found"
 */
public record RoutePlan(List<Channel> candidates, boolean heldBack) {

    public RoutePlan {
        candidates = List.copyOf(candidates);
    }

    public boolean isEmpty() {
        return candidates.isEmpty();
    }
}
