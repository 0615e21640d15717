package dev.tollgate.relay.routing;

import dev.tollgate.relay.snapshot.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Orders the channels to try for a model (pure: the snapshot, the health check and the randomness come in).
 * <ul>
 *   <li>Abilities: a channel serves (group × model) when it is usable, lists the group, and one of its model
 *       entries matches the model (a name or a {@link ModelPatterns pattern}; all matches compete alike).</li>
 *   <li>Groups in the order given: every candidate of the first group before any of the next; a channel in
 *       several groups appears once, at its first place.</li>
 *   <li>Within a group, priority tiers from the highest down; within a tier a weighted random order drawn
 *       without replacement (weight 0 or less: after the tier's positive weights, in random order).</li>
 * </ul>
 */
final class ChannelSelector {

    private ChannelSelector() {
    }

    /**
     * @param supported the relay has an adapter for the channel's provider
     * @param available the channel's health lets it be tried for the model now
     */
    static RoutePlan plan(Collection<Channel> channels, List<String> groups, String model,
            Predicate<Channel> supported, BiPredicate<Channel, String> available, RandomGenerator random) {
        List<Channel> candidates = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        boolean matched = false;
        for (String group : groups) {
            // Highest priority first; channels of one tier in snapshot order until shuffled.
            TreeMap<Integer, List<Channel>> tiers = new TreeMap<>(Comparator.reverseOrder());
            for (Channel channel : channels) {
                if (!serves(channel, group, model) || !supported.test(channel) || !seen.add(channel.id())) {
                    continue;
                }
                matched = true;
                if (available.test(channel, model)) {
                    tiers.computeIfAbsent(channel.priority(), p -> new ArrayList<>()).add(channel);
                }
            }
            for (List<Channel> tier : tiers.values()) {
                candidates.addAll(weightedOrder(tier, random));
            }
        }
        return new RoutePlan(candidates, matched && candidates.isEmpty());
    }

    /**
     * An admin's pinned channel: just that channel when it is usable, has an adapter and serves the model in any
     * group (the groups and the health are not consulted: the admin is testing it); else an empty plan.
     */
    static RoutePlan pinned(Collection<Channel> channels, long channelId, String model, Predicate<Channel> supported) {
        for (Channel channel : channels) {
            if (channel.id() == channelId && channel.usable() && supported.test(channel) && servesModel(channel, model)) {
                return new RoutePlan(List.of(channel), false);
            }
        }
        return new RoutePlan(List.of(), false);
    }

    static boolean serves(Channel channel, String group, String model) {
        return channel.usable() && channel.groups().contains(group) && servesModel(channel, model);
    }

    static boolean servesModel(Channel channel, String model) {
        if (channel.models().contains(model)) {
            return true;
        }
        for (String entry : channel.models()) {
            if (ModelPatterns.isPattern(entry) && ModelPatterns.matches(entry, model)) {
                return true;
            }
        }
        return false;
    }

    /** Draws without replacement, each draw proportional to the remaining positive weights. */
    static List<Channel> weightedOrder(List<Channel> tier, RandomGenerator random) {
        List<Channel> weighted = new ArrayList<>();
        List<Channel> unweighted = new ArrayList<>();
        long total = 0;
        for (Channel channel : tier) {
            if (channel.weight() > 0) {
                weighted.add(channel);
                total += channel.weight();
            } else {
                unweighted.add(channel);
            }
        }
        List<Channel> order = new ArrayList<>(tier.size());
        while (!weighted.isEmpty()) {
            long pick = random.nextLong(total);
            int index = 0;
            while (pick >= weighted.get(index).weight()) {
                pick -= weighted.get(index).weight();
                index++;
            }
            Channel drawn = weighted.remove(index);
            total -= drawn.weight();
            order.add(drawn);
        }
        shuffle(unweighted, random);
        order.addAll(unweighted);
        return order;
    }

    private static void shuffle(List<Channel> channels, RandomGenerator random) {
        for (int i = channels.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            channels.set(i, channels.set(j, channels.get(i)));
        }
    }
}
