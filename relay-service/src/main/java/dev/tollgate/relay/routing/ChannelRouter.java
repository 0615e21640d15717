package dev.tollgate.relay.routing;

import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.provider.ProviderAdapters;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/** Channel selection over the snapshot, limited to providers this relay has an adapter for. */
public class ChannelRouter {

    private final RelaySnapshot snapshot;
    private final ProviderAdapters adapters;

    public ChannelRouter(RelaySnapshot snapshot, ProviderAdapters adapters) {
        this.snapshot = snapshot;
        this.adapters = adapters;
    }

    public Optional<Channel> select(String group, String model) {
        return ChannelSelector.select(snapshot.channels(), group, model, this::supported, ThreadLocalRandom.current());
    }

    /** Every model some usable channel serves to the group. */
    public SortedSet<String> models(String group) {
        SortedSet<String> models = new TreeSet<>();
        for (Channel channel : snapshot.channels()) {
            if (channel.usable() && channel.groups().contains(group) && supported(channel)) {
                models.addAll(channel.models());
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

    private boolean supported(Channel channel) {
        return adapters.forProvider(channel.provider()).isPresent();
    }
}
