package dev.tollgate.admin.channels;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A channel as the API shows it: whether it has an upstream key, never the key or its ciphertext.
 * {@code autoDisabled}: switched off by the ledger after an upstream refused its key or account
 * ({@code disabledReason}); the ledger's probe switches it back on, or an admin's {@code enabled: true}.
 * {@code tags}: the admin's labels.
 */
public record ChannelView(long id, String name, String provider, String baseUrl, boolean hasApiKey,
        Map<String, Object> config, List<String> models, Map<String, String> modelMapping, List<String> groups,
        int priority, int weight, boolean enabled, long version, Instant createdAt, Instant updatedAt,
        boolean autoDisabled, String disabledReason, List<String> tags) {

    /** The one way from a stored channel to an answer: the ciphertext is reduced to a flag here. */
    static ChannelView of(StoredChannel c) {
        return new ChannelView(c.id(), c.name(), c.provider(), c.baseUrl(),
                c.apiKeyCiphertext() != null && !c.apiKeyCiphertext().isEmpty(), c.config(), c.models(),
                c.modelMapping(), c.groups(), c.priority(), c.weight(), c.enabled(), c.version(), c.createdAt(),
                c.updatedAt(), c.autoDisabled(), c.disabledReason(), c.tags());
    }

    /** A channels row as read; stays inside this package. */
    record StoredChannel(long id, String name, String provider, String baseUrl, String apiKeyCiphertext,
            Map<String, Object> config, List<String> models, Map<String, String> modelMapping, List<String> groups,
            int priority, int weight, boolean enabled, long version, Instant createdAt, Instant updatedAt,
            boolean autoDisabled, String disabledReason, List<String> tags) {

        /** A row without tags. */
        StoredChannel(long id, String name, String provider, String baseUrl, String apiKeyCiphertext,
                Map<String, Object> config, List<String> models, Map<String, String> modelMapping,
                List<String> groups, int priority, int weight, boolean enabled, long version, Instant createdAt,
                Instant updatedAt, boolean autoDisabled, String disabledReason) {
            this(id, name, provider, baseUrl, apiKeyCiphertext, config, models, modelMapping, groups, priority, weight,
                    enabled, version, createdAt, updatedAt, autoDisabled, disabledReason, List.of());
        }

        @Override
        public String toString() {
            return "StoredChannel[id=" + id + ", name=" + name + "]";
        }
    }
}
