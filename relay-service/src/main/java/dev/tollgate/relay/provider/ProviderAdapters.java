package dev.tollgate.relay.provider;

import java.util.List;
import java.util.Optional;

/** The adapters this relay has, looked up by a channel's provider name. */
public class ProviderAdapters {

    private final List<ProviderAdapter> adapters;

    public ProviderAdapters(List<ProviderAdapter> adapters) {
        this.adapters = List.copyOf(adapters);
    }

    public Optional<ProviderAdapter> forProvider(String provider) {
        for (ProviderAdapter adapter : adapters) {
            if (adapter.supports(provider)) {
                return Optional.of(adapter);
            }
        }
        return Optional.empty();
    }
}
