package dev.tollgate.relay.routing;

import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.provider.ProviderAdapters;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Channel selection over the snapshot (see {@link ChannelSelector} for the rules), limited to providers this
 * relay has an adapter for, leaving out channels the {@link ChannelHealth} holds back.
 */
public class ChannelRouter {

    private final RelaySnapshot snapshot;
    private final ProviderAdapters adapters;
    private final ChannelHealth health;
    private final Supplier<RandomGenerator> random;

    public ChannelRouter(RelaySnapshot snapshot, ProviderAdapters adapters, ChannelHealth health) {
        this(snapshot, adapters, health, ThreadLocalRandom::current);
    }

    /** Without health: every usable channel is always a candidate (tools and tests that do not fail over). */
    public ChannelRouter(RelaySnapshot snapshot, ProviderAdapters adapters) {
        this(snapshot, adapters, ChannelHealth.NONE);
    }

    ChannelRouter(RelaySnapshot snapshot, ProviderAdapters adapters, ChannelHealth health,
            Supplier<RandomGenerator> random) {
        this.snapshot = snapshot;
        this.adapters = adapters;
        this.health = health;
        this.random = random;
    }

    /**
     * The channels to try for one request, in order.
     *
     * @param groups          the key's group, then its fallback group (if any)
     * @param pinnedChannelId an admin's pin for testing a channel, or null: the plan is that channel alone when it is
     *                        usable and serves the model (in any group, whatever its health), else empty
     */
    public RoutePlan plan(List<String> groups, String model, Long pinnedChannelId) {
        if (pinnedChannelId != null) {
            return ChannelSelector.pinned(snapshot.channels(), pinnedChannelId, model, this::supported);
        }
        return ChannelSelector.plan(snapshot.channels(), groups, model, this::supported, health::available,
                random.get());
    }

    /**
     * The plan for a request that must go to one channel (it holds the state the request continues): that channel
     * alone when it serves the model to one of the groups and its health lets it be tried; empty otherwise, held
     * back when only its health stands in the way.
     */
    public RoutePlan planOn(List<String> groups, String model, long channelId) {
        List<Channel> only = new ArrayList<>(1);
        for (Channel channel : snapshot.channels()) {
            if (channel.id() == channelId) {
                only.add(channel);
            }
        }
        return ChannelSelector.plan(only, groups, model, this::supported, health::available, random.get());
    }

    /**
     * A channel the principal may reach for calls that name no model (a stored response's own calls): usable, with
     * an adapter, in one of the principal's groups, and serving some model the key may use.
     */
    public Optional<Channel> channelFor(Principal principal, long channelId) {
        for (Channel channel : snapshot.channels()) {
            if (channel.id() != channelId || !channel.usable() || !supported(channel)) {
                continue;
            }
            boolean inGroup = principal.routingGroups().stream().anyMatch(channel.groups()::contains);
            if (inGroup && servesAllowedModel(channel, principal)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    private static boolean servesAllowedModel(Channel channel, Principal principal) {
        if (principal.key().models().isEmpty()) {
            return true; // the key names no models: all are allowed
        }
        for (String model : principal.key().models()) {
            if (ChannelSelector.servesModel(channel, model)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every model some usable channel names for the group. Pattern entries ({@code gpt-4o*}) are left out: they
     * serve requests but cannot be listed.
     */
    public SortedSet<String> models(String group) {
        SortedSet<String> models = new TreeSet<>();
        for (Channel channel : snapshot.channels()) {
            if (channel.usable() && channel.groups().contains(group) && supported(channel)) {
                for (String model : channel.models()) {
                    if (!ModelPatterns.isPattern(model)) {
                        models.add(model);
                    }
                }
            }
        }
        return models;
    }

    /** The models a key may use: those its group is served, within the key's own allow-list, sorted. */
    public List<String> modelsFor(Principal principal) {
        List<String> allowed = new ArrayList<>();
        for (String model : models(principal.group())) {
            if (principal.key().allowsModel(model)) {
                allowed.add(model);
            }
        }
        return allowed;
    }

    /**
     * {@link #modelsFor} with, for each model, the provider of the channel that serves it first (the highest
     * priority, then the lowest id): what {@code owned_by} says in a listing.
     */
    public SortedMap<String, String> ownersFor(Principal principal) {
        SortedMap<String, String> owners = new TreeMap<>();
        List<Channel> channels = new ArrayList<>(snapshot.channels());
        channels.sort(Comparator.comparingInt(Channel::priority).reversed().thenComparingLong(Channel::id));
        for (Channel channel : channels) {
            if (!channel.usable() || !channel.groups().contains(principal.group()) || !supported(channel)) {
                continue;
            }
            for (String model : channel.models()) {
                if (!ModelPatterns.isPattern(model) && principal.key().allowsModel(model)) {
                    owners.putIfAbsent(model, channel.provider());
                }
            }
        }
        return owners;
    }

    private boolean supported(Channel channel) {
        return adapters.forProvider(channel.provider()).isPresent();
    }
}
