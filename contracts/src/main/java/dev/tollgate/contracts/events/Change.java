package dev.tollgate.contracts.events;

import dev.tollgate.contracts.money.Price;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the ledger committed, on {@code tollgate.changes.v1}. Entity changes carry the whole entity
 * state and its version, so a follower keeps whichever copy has the higher version and never
 * needs the history.
 */
public sealed interface Change {

    /** The Kafka key: changes of one entity stay in order. */
    String entityKey();

    /** The outcome of one command: ok with the entity it touched, or a reasoned rejection. */
    record CommandResult(String commandId, boolean ok, String entity, String entityId, long version, String code,
            String message) implements Change {
        public String entityKey() {
            return "command:" + commandId;
        }

        public static CommandResult ok(String commandId, String entity, String entityId, long version) {
            return new CommandResult(commandId, true, entity, entityId, version, null, null);
        }

        public static CommandResult rejected(String commandId, String code, String message) {
            return new CommandResult(commandId, false, null, null, 0, code, message);
        }
    }

    /** {@code rpmLimit}/{@code tpmLimit}: the user's rate limits over all their keys (null: none). */
    record UserChanged(long id, String username, String role, String group, boolean enabled, long version,
            Integer rpmLimit, Long tpmLimit) implements Change {

        /** A user without rate limits. */
        public UserChanged(long id, String username, String role, String group, boolean enabled, long version) {
            this(id, username, role, group, enabled, version, null, null);
        }

        public String entityKey() {
            return "user:" + id;
        }
    }

    /**
     * A user's balance after a batch or a top-up. {@code relaySeqs} holds, per relay, the highest
     * {@code relaySeq} of that relay's usage events this balance includes; {@code keysUsed} the spend
     * of keys touched, for their quotas.
     */
    record BalanceChanged(long userId, long balanceMicros, long version, Map<String, Long> relaySeqs,
            Map<Long, Long> keysUsed) implements Change {
        public BalanceChanged {
            relaySeqs = relaySeqs == null ? Map.of() : Map.copyOf(relaySeqs);
            keysUsed = keysUsed == null ? Map.of() : Map.copyOf(keysUsed);
        }

        public String entityKey() {
            return "user:" + userId;
        }
    }

    /**
     * {@code rpmLimit}/{@code tpmLimit}: the key's rate limits (null: none); {@code fallbackGroup}: routed to when the
     * key's group has no channel for the model (null: none); {@code captureBodies}: the relays put the request and
     * response bodies on its usage events (a message without it, from an older ledger, reads as false).
     */
    record KeyChanged(long id, long userId, String name, String keyHash, String prefix, String group,
            Long quotaMicros, long usedMicros, List<String> models, List<String> allowedCidrs, Instant expiresAt,
            boolean enabled, boolean deleted, long version, Integer rpmLimit, Long tpmLimit, String fallbackGroup,
            boolean captureBodies) implements Change {
        public KeyChanged {
            models = models == null ? List.of() : List.copyOf(models);
            allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
        }

        /** A key without rate limits or fallback group. */
        public KeyChanged(long id, long userId, String name, String keyHash, String prefix, String group,
                Long quotaMicros, long usedMicros, List<String> models, List<String> allowedCidrs, Instant expiresAt,
                boolean enabled, boolean deleted, long version) {
            this(id, userId, name, keyHash, prefix, group, quotaMicros, usedMicros, models, allowedCidrs, expiresAt,
                    enabled, deleted, version, null, null, null);
        }

        /** A key that does not capture bodies. */
        public KeyChanged(long id, long userId, String name, String keyHash, String prefix, String group,
                Long quotaMicros, long usedMicros, List<String> models, List<String> allowedCidrs, Instant expiresAt,
                boolean enabled, boolean deleted, long version, Integer rpmLimit, Long tpmLimit, String fallbackGroup) {
            this(id, userId, name, keyHash, prefix, group, quotaMicros, usedMicros, models, allowedCidrs, expiresAt,
                    enabled, deleted, version, rpmLimit, tpmLimit, fallbackGroup, false);
        }

        public String entityKey() {
            return "key:" + id;
        }
    }

    /**
     * A channel's whole state. {@code autoDisabled}: disabled by the ledger after a relay reported that the
     * upstream refused the channel's credentials or account ({@code disabledReason} says which); the ledger's
     * probe re-enables it. A message without these fields (older ledgers) reads as false / null. {@code tags}: the
     * admin's labels (none in older messages).
     */
    record ChannelChanged(long id, String name, String provider, String baseUrl, String apiKeyCiphertext,
            Map<String, Object> config, List<String> models, Map<String, String> modelMapping, List<String> groups,
            int priority, int weight, boolean enabled, boolean deleted, long version, boolean autoDisabled,
            String disabledReason, List<String> tags) implements Change {
        public ChannelChanged {
            config = config == null ? Map.of() : config;
            models = models == null ? List.of() : List.copyOf(models);
            modelMapping = modelMapping == null ? Map.of() : Map.copyOf(modelMapping);
            groups = groups == null ? List.of() : List.copyOf(groups);
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        /** A channel without tags. */
        public ChannelChanged(long id, String name, String provider, String baseUrl, String apiKeyCiphertext,
                Map<String, Object> config, List<String> models, Map<String, String> modelMapping,
                List<String> groups, int priority, int weight, boolean enabled, boolean deleted, long version,
                boolean autoDisabled, String disabledReason) {
            this(id, name, provider, baseUrl, apiKeyCiphertext, config, models, modelMapping, groups, priority, weight,
                    enabled, deleted, version, autoDisabled, disabledReason, null);
        }

        /** A channel that was not auto-disabled. */
        public ChannelChanged(long id, String name, String provider, String baseUrl, String apiKeyCiphertext,
                Map<String, Object> config, List<String> models, Map<String, String> modelMapping,
                List<String> groups, int priority, int weight, boolean enabled, boolean deleted, long version) {
            this(id, name, provider, baseUrl, apiKeyCiphertext, config, models, modelMapping, groups, priority, weight,
                    enabled, deleted, version, false, null);
        }

        public String entityKey() {
            return "channel:" + id;
        }
    }

    /** A model's current price; {@code version} is the price version usage events name. */
    record PriceChanged(String model, long version, Price price, Long outputReserveTokens) implements Change {
        public String entityKey() {
            return "price:" + model;
        }
    }

    /** {@code rpmLimit}/{@code tpmLimit}: limits over all users of the group together (null: none). */
    record GroupChanged(String name, long multiplierBp, long version, Integer rpmLimit, Long tpmLimit)
            implements Change {

        /** A group without rate limits. */
        public GroupChanged(String name, long multiplierBp, long version) {
            this(name, multiplierBp, version, null, null);
        }

        public String entityKey() {
            return "group:" + name;
        }
    }

    /**
     * Sessions of a user ended, for every admin instance: one session ({@code sessionId}, a token's {@code jti}, refused
     * until {@code expiresAt}), or, when {@code sessionId} is null, every session issued before {@code validAfter}
     * (the user's latest such time).
     */
    record SessionsRevoked(long userId, String sessionId, Instant expiresAt, Instant validAfter) implements Change {
        public String entityKey() {
            return "user:" + userId;
        }
    }
}
