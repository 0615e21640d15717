package dev.tollgate.relay.routing;

import dev.tollgate.relay.snapshot.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Picks a channel for a group and model: the usable channels that serve both, the highest priority tier,
 * weighted random within the tier (as One Hub does).
 */
public final class ChannelSelector {

    private ChannelSelector() {
    }

    public static Optional<Channel> select(Collection<Channel> channels, String group, String model,
            Predicate<Channel> supported, RandomGenerator random) {
        List<Channel> tier = new ArrayList<>();
        int top = Integer.MIN_VALUE;
        for (Channel channel : channels) {
            if (!channel.serves(group, model) || !supported.test(channel)) {
                continue;
            }
            if (channel.priority() > top) {
                top = channel.priority();
                tier.clear();
            }
            if (channel.priority() == top) {
                tier.add(channel);
            }
        }
        if (tier.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(weighted(tier, random));
    }

    private static Channel weighted(List<Channel> tier, RandomGenerator random) {
        long total = 0;
        for (Channel channel : tier) {
            total += Math.max(channel.weight(), 0);
        }
        if (total == 0) {
            // All weights zero: spread evenly rather than refuse.
            return tier.get(random.nextInt(tier.size()));
        }
        long pick = random.nextLong(total);
        for (Channel channel : tier) {
            pick -= Math.max(channel.weight(), 0);
            if (pick < 0) {
                return channel;
            }
        }
        return tier.get(tier.size() - 1);
    }
}
