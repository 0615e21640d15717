package dev.tollgate.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A state change asked of the ledger, on {@code tollgate.commands.v1}. Secrets arrive already
 * protected: password and customer-key hashes, upstream keys as ciphertext. In the update
 * commands a null field means "leave as it is".
 */
public sealed interface Command {

    /** The aggregate the command is about, used as the Kafka key so one aggregate has one order. */
    String aggregateId();

    record CreateUser(String username, String passwordHash, String role, String group, Boolean enabled)
            implements Command {
        public String aggregateId() {
            return "user:" + username;
        }
    }

    /**
     * {@code rpmLimit}/{@code tpmLimit} set a rate limit (null: unchanged); {@code clearRpmLimit}/{@code clearTpmLimit}
     * remove one. A message without them (older senders) changes no limit. {@code sessionsValidAfter} (null: none)
     * ends the user's sessions issued before it, as {@link RevokeSessions} does (sent with a password change).
     */
    record UpdateUser(long userId, String group, Boolean enabled, String passwordHash, Integer rpmLimit,
            Long tpmLimit, Boolean clearRpmLimit, Boolean clearTpmLimit, Instant sessionsValidAfter)
            implements Command {

        /** An update that leaves the rate limits as they are. */
        public UpdateUser(long userId, String group, Boolean enabled, String passwordHash) {
            this(userId, group, enabled, passwordHash, null, null, null, null);
        }

        /** An update that ends no sessions. */
        public UpdateUser(long userId, String group, Boolean enabled, String passwordHash, Integer rpmLimit,
                Long tpmLimit, Boolean clearRpmLimit, Boolean clearTpmLimit) {
            this(userId, group, enabled, passwordHash, rpmLimit, tpmLimit, clearRpmLimit, clearTpmLimit, null);
        }

        public String aggregateId() {
            return "user:" + userId;
        }
    }

    /**
     * Sets a user's sign-in TOTP whole: {@code secretCiphertext} (the base32 secret under the master key; null: none)
     * and whether sign-in demands it. A setup sends a new secret, not enabled; enabling sends the same secret, enabled;
     * disabling sends none. {@code sessionsValidAfter} (null: none) ends the user's sessions issued before it, as
     * {@link RevokeSessions} does (sent when enabling or disabling).
     */
    record SetTotp(long userId, String secretCiphertext, boolean enabled, Instant sessionsValidAfter)
            implements Command {

        /** A change that ends no sessions. */
        public SetTotp(long userId, String secretCiphertext, boolean enabled) {
            this(userId, secretCiphertext, enabled, null);
        }

        public String aggregateId() {
            return "user:" + userId;
        }

        @Override
        public String toString() {
            return "SetTotp[userId=" + userId + ", enabled=" + enabled + "]";
        }
    }

    /**
     * One session signed out ({@code sessionId}: its token's {@code jti}); the ledger keeps it until {@code expiresAt},
     * the token's own expiry, after which the token is refused by time anyway.
     */
    record RevokeSession(long userId, String sessionId, Instant expiresAt) implements Command {
        public String aggregateId() {
            return "user:" + userId;
        }
    }

    /**
     * Every session of the user issued before {@code validAfter} ends (sign out everywhere, or an admin ending a
     * user's sessions). The ledger keeps the latest such time per user; it never moves back.
     */
    record RevokeSessions(long userId, Instant validAfter) implements Command {
        public String aggregateId() {
            return "user:" + userId;
        }
    }

    /**
     * A sign-in (or TOTP switch) accepted the user's TOTP code of time step {@code step}: applied only when the step
     * is later than the last one accepted, so a code is used once across every admin instance; otherwise rejected
     * ({@code conflict}).
     */
    record UseTotpStep(long userId, long step) implements Command {
        public String aggregateId() {
            return "user:" + userId;
        }
    }

    /** A credit (positive) or correction (negative) of a user's balance, with the reason. */
    record TopUp(long userId, long amountMicros, String note) implements Command {
        public String aggregateId() {
            return "user:" + userId;
        }
    }

    /**
     * {@code rpmLimit}/{@code tpmLimit}: requests and tokens per minute (null: no limit); {@code fallbackGroup}: the
     * group routed to when the key's own group has no channel for the model (null: none); {@code captureBodies}:
     * the relays keep each request's and response's body, capped, in the request log (null, as from older senders:
     * no).
     */
    record CreateKey(long userId, String name, String keyHash, String prefix, String group, Long quotaMicros,
            List<String> models, List<String> allowedCidrs, Instant expiresAt, Boolean enabled, Integer rpmLimit,
            Long tpmLimit, String fallbackGroup, Boolean captureBodies) implements Command {

        /** A key without rate limits or fallback group. */
        public CreateKey(long userId, String name, String keyHash, String prefix, String group, Long quotaMicros,
                List<String> models, List<String> allowedCidrs, Instant expiresAt, Boolean enabled) {
            this(userId, name, keyHash, prefix, group, quotaMicros, models, allowedCidrs, expiresAt, enabled, null,
                    null, null);
        }

        /** A key that does not capture bodies. */
        public CreateKey(long userId, String name, String keyHash, String prefix, String group, Long quotaMicros,
                List<String> models, List<String> allowedCidrs, Instant expiresAt, Boolean enabled, Integer rpmLimit,
                Long tpmLimit, String fallbackGroup) {
            this(userId, name, keyHash, prefix, group, quotaMicros, models, allowedCidrs, expiresAt, enabled, rpmLimit,
                    tpmLimit, fallbackGroup, null);
        }

        public String aggregateId() {
            return "user:" + userId;
        }
    }

    /**
     * {@code clearQuota}/{@code clearExpiry}/{@code clearRpmLimit}/{@code clearTpmLimit}/{@code clearFallbackGroup}
     * remove a setting, since null already means "unchanged"; {@code captureBodies} switches body capture on or off.
     */
    record UpdateKey(long keyId, String name, String group, Long quotaMicros, Boolean clearQuota, List<String> models,
            List<String> allowedCidrs, Instant expiresAt, Boolean clearExpiry, Boolean enabled, Boolean deleted,
            Integer rpmLimit, Boolean clearRpmLimit, Long tpmLimit, Boolean clearTpmLimit, String fallbackGroup,
            Boolean clearFallbackGroup, Boolean captureBodies) implements Command {

        /** An update that leaves the rate limits and the fallback group as they are. */
        public UpdateKey(long keyId, String name, String group, Long quotaMicros, Boolean clearQuota,
                List<String> models, List<String> allowedCidrs, Instant expiresAt, Boolean clearExpiry,
                Boolean enabled, Boolean deleted) {
            this(keyId, name, group, quotaMicros, clearQuota, models, allowedCidrs, expiresAt, clearExpiry, enabled,
                    deleted, null, null, null, null, null, null);
        }

        /** An update that leaves body capture as it is. */
        public UpdateKey(long keyId, String name, String group, Long quotaMicros, Boolean clearQuota,
                List<String> models, List<String> allowedCidrs, Instant expiresAt, Boolean clearExpiry,
                Boolean enabled, Boolean deleted, Integer rpmLimit, Boolean clearRpmLimit, Long tpmLimit,
                Boolean clearTpmLimit, String fallbackGroup, Boolean clearFallbackGroup) {
            this(keyId, name, group, quotaMicros, clearQuota, models, allowedCidrs, expiresAt, clearExpiry, enabled,
                    deleted, rpmLimit, clearRpmLimit, tpmLimit, clearTpmLimit, fallbackGroup, clearFallbackGroup, null);
        }

        public String aggregateId() {
            return "key:" + keyId;
        }
    }

    /**
     * Replaces a key by a new one with the same settings: the new key's hash and display prefix arrive here (the key
     * itself never travels); the old key keeps working for {@code graceSeconds} from the ledger's apply time, then
     * expires (0: at once). A key is rotated once: its replacement is the one to rotate next.
     */
    record RotateKey(long keyId, String keyHash, String prefix, long graceSeconds) implements Command {
        public String aggregateId() {
            return "key:" + keyId;
        }
    }

    /**
     * Re-encrypts every stored secret (channel keys) under the ledger's current master key id, after a master-key
     * rotation. {@code keyId}: the current key id as the sender has it; the ledger refuses when its own differs, so
     * nothing is moved to a key the other services do not have.
     */
    record ReencryptSecrets(String keyId) implements Command {
        public String aggregateId() {
            return "secrets";
        }
    }

    /** {@code tags}: free labels an admin filters and switches channels by (null: none). */
    record CreateChannel(String name, String provider, String baseUrl, String apiKeyCiphertext,
            Map<String, Object> config, List<String> models, Map<String, String> modelMapping, List<String> groups,
            Integer priority, Integer weight, Boolean enabled, List<String> tags) implements Command {

        /** A channel without tags. */
        public CreateChannel(String name, String provider, String baseUrl, String apiKeyCiphertext,
                Map<String, Object> config, List<String> models, Map<String, String> modelMapping,
                List<String> groups, Integer priority, Integer weight, Boolean enabled) {
            this(name, provider, baseUrl, apiKeyCiphertext, config, models, modelMapping, groups, priority, weight,
                    enabled, null);
        }

        public String aggregateId() {
            return "channel:" + name;
        }
    }

    /** Null fields stay as they are; {@code tags} replaces the channel's tags ({@code []} removes them). */
    record UpdateChannel(long channelId, String name, String provider, String baseUrl, String apiKeyCiphertext,
            Map<String, Object> config, List<String> models, Map<String, String> modelMapping, List<String> groups,
            Integer priority, Integer weight, Boolean enabled, Boolean deleted, List<String> tags) implements Command {

        /** A change that leaves the tags. */
        public UpdateChannel(long channelId, String name, String provider, String baseUrl, String apiKeyCiphertext,
                Map<String, Object> config, List<String> models, Map<String, String> modelMapping,
                List<String> groups, Integer priority, Integer weight, Boolean enabled, Boolean deleted) {
            this(channelId, name, provider, baseUrl, apiKeyCiphertext, config, models, modelMapping, groups, priority,
                    weight, enabled, deleted, null);
        }

        public String aggregateId() {
            return "channel:" + channelId;
        }
    }

    /**
     * A relay saw the channel's upstream refuse its credentials or its account (it will not heal by itself): the
     * ledger disables it everywhere, marked as auto-disabled so its probe job re-enables it once the upstream
     * answers again. Sent once per channel version per relay; the ledger ignores it for a channel already disabled.
     *
     * @param channelVersion the version the relay saw (informational: a report applies whatever the version)
     * @param reason         short and free of secrets, e.g. {@code auth_rejected: 401}
     */
    record AutoDisableChannel(long channelId, long channelVersion, String reason, String relayId) implements Command {
        public String aggregateId() {
            return "channel:" + channelId;
        }
    }

    /**
     * A new price version for a model; the previous versions stay, since usage events name theirs.
     * {@code reasoningMicrosPerMTok} 0 (also when a message without it is read) prices reasoning as output.
     */
    record SetPrice(String model, long inputMicrosPerMTok, long outputMicrosPerMTok, long cachedInputMicrosPerMTok,
            long cacheWriteMicrosPerMTok, long perRequestMicros, long perImageMicros, long perAudioSecondMicros,
            Long outputReserveTokens, long reasoningMicrosPerMTok) implements Command {

        /** A price whose reasoning is priced as output. */
        public SetPrice(String model, long inputMicrosPerMTok, long outputMicrosPerMTok, long cachedInputMicrosPerMTok,
                long cacheWriteMicrosPerMTok, long perRequestMicros, long perImageMicros, long perAudioSecondMicros,
                Long outputReserveTokens) {
            this(model, inputMicrosPerMTok, outputMicrosPerMTok, cachedInputMicrosPerMTok, cacheWriteMicrosPerMTok,
                    perRequestMicros, perImageMicros, perAudioSecondMicros, outputReserveTokens, 0);
        }

        public String aggregateId() {
            return "price:" + model;
        }
    }

    /**
     * Sets a group whole: its multiplier and its rate limits, counted over all users of the group together (null:
     * no limit; a message without them, from an older sender, sets none).
     */
    record SetGroup(String name, long multiplierBp, Integer rpmLimit, Long tpmLimit) implements Command {

        /** A group without rate limits. */
        public SetGroup(String name, long multiplierBp) {
            this(name, multiplierBp, null, null);
        }

        public String aggregateId() {
            return "group:" + name;
        }
    }

    /**
     * A batch of prepaid codes worth {@code amountMicros} each. Only the SHA-256 of each code travels
     * (like customer keys); {@code prefixes} (same order) are for display.
     */
    record CreateRedemptionCodes(String batchName, long amountMicros, List<String> codeHashes, List<String> prefixes,
            Instant expiresAt) implements Command {
        public String aggregateId() {
            return "redemption-batch:" + batchName;
        }
    }

    /**
     * Sets gateway-wide settings by name (e.g. {@code registrationEnabled}); names absent from {@code values} stay
     * as they are. The admin service gives names and values their meaning; the ledger only stores them.
     */
    record SetSettings(Map<String, String> values) implements Command {
        public String aggregateId() {
            return "settings";
        }
    }

    /** Credit a code's amount to a user; a code is redeemed once, whoever asks first. */
    record RedeemCode(String codeHash, long userId) implements Command {
        public String aggregateId() {
            // One key per code: concurrent redemptions of the same code are ordered on one partition.
            return "redemption:" + codeHash;
        }
    }
}
