package dev.tollgate.relay.snapshot;

import java.util.Map;
import java.util.Set;

/**
 * An upstream channel as the relay holds it. {@code apiKey} is the decrypted upstream key (null when the
 * channel has none, e.g. a local Ollama); it lives only in memory and is left out of {@link #toString()}.
 * {@code config} is the provider-specific part (Bedrock {@code region}, {@code accessKeyId} …), as JSON values.
 * {@code broken} marks a channel whose key could not be decrypted: it is never routed to.
 */
public record Channel(long id, String name, String provider, String baseUrl, String apiKey,
        Map<String, Object> config, Set<String> models,
        Map<String, String> modelMapping, Set<String> groups, int priority, int weight, boolean enabled,
        boolean deleted, boolean broken, long version) {

    public Channel {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        models = Set.copyOf(models);
        modelMapping = Map.copyOf(modelMapping);
        groups = Set.copyOf(groups);
    }

    /** Enabled, not deleted, and its key readable: may serve traffic. */
    public boolean usable() {
        return enabled && !deleted && !broken;
    }

    /** A config value as text, or null when absent. */
    public String configString(String name) {
        Object value = config.get(name);
        return value == null ? null : value.toString();
    }

    /**
     * The model whose price a request through this channel is charged by: the customer-facing name, unless the
     * channel's config says {@code billUpstreamModel: true} (then the upstream's, after mapping).
     */
    public String priceModel(String askedModel) {
        return Boolean.parseBoolean(configString("billUpstreamModel")) ? upstreamModel(askedModel) : askedModel;
    }

    /** The name the upstream knows the asked model by. */
    public String upstreamModel(String askedModel) {
        return modelMapping.getOrDefault(askedModel, askedModel);
    }

    @Override
    public String toString() {
        return "Channel[id=" + id + ", name=" + name + ", provider=" + provider + ", baseUrl=" + baseUrl
                + ", version=" + version + "]";
    }
}
