package dev.tollgate.relay.snapshot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.secrets.SecretBox;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The relay's read-only view of the ledger's state. Channels, prices and groups are held whole; keys and users
 * are loaded on first use into bounded caches. Every entry is replaced only by a higher version, so a load and
 * a change event racing each other settle on the newer state whichever lands last.
 */
public class RelaySnapshot {

    private static final Logger log = LoggerFactory.getLogger(RelaySnapshot.class);

    private final SnapshotRepository repository;
    private final SecretBox secretBox;
    private final String relayId;
    private final BalanceListener balanceListener;
    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();
    private final Map<String, PriceEntry> prices = new ConcurrentHashMap<>();
    private final Map<String, GroupEntry> groups = new ConcurrentHashMap<>();
    private final Cache<String, KeyState> keys;
    private final Cache<String, Boolean> unknownKeys;
    private final Cache<Long, UserState> users;
    private final Cache<Long, Long> keyUsed;
    private volatile boolean loaded;

    public RelaySnapshot(SnapshotRepository repository, SecretBox secretBox, String relayId,
            BalanceListener balanceListener, long keyCacheSize, long userCacheSize, Duration unknownKeyTtl) {
        this.repository = repository;
        this.secretBox = secretBox;
        this.relayId = relayId;
        this.balanceListener = balanceListener;
        this.keys = Caffeine.newBuilder().maximumSize(keyCacheSize).build();
        this.unknownKeys = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(unknownKeyTtl).build();
        this.users = Caffeine.newBuilder().maximumSize(userCacheSize).build();
        this.keyUsed = Caffeine.newBuilder().maximumSize(keyCacheSize).build();
    }

    public boolean loaded() {
        return loaded;
    }

    // ---- reads on the hot path ----

    public Collection<Channel> channels() {
        return channels.values();
    }

    public Optional<PriceEntry> price(String model) {
        return Optional.ofNullable(prices.get(model));
    }

    /** The group's multiplier; an unknown group costs 1×. */
    public long multiplierBp(String group) {
        GroupEntry entry = group == null ? null : groups.get(group);
        return entry == null ? 10_000L : entry.multiplierBp();
    }

    /** The group with its multiplier and rate limits; empty when unknown. */
    public Optional<GroupEntry> group(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(groups.get(name));
    }

    /** The key with this hash, from memory or one read of MySQL; empty when no such key exists. */
    public Mono<Optional<KeyState>> key(String keyHash) {
        KeyState cached = keys.getIfPresent(keyHash);
        if (cached != null) {
            return Mono.just(Optional.of(cached));
        }
        if (unknownKeys.getIfPresent(keyHash) != null) {
            return Mono.just(Optional.empty());
        }
        return repository.findKey(keyHash)
                .map(this::keepKey)
                .map(Optional::of)
                .switchIfEmpty(Mono.fromSupplier(() -> rememberUnknown(keyHash)));
    }

    /** The user, complete (profile and balance), from memory or one read of MySQL; empty when unknown. */
    public Mono<UserState> user(long userId) {
        UserState cached = users.getIfPresent(userId);
        if (cached != null && cached.complete()) {
            return Mono.just(cached);
        }
        return repository.findUser(userId, relayId)
                .map(this::keepUser)
                .filter(UserState::complete);
    }

    // ---- loading and following ----

    /** Loads what is held whole; keys and users stay lazy. Blocking is fine here: it runs on the loader thread. */
    void loadWhole(Duration timeout) {
        List<SnapshotRepository.ChannelRow> channelRows = repository.loadChannels().collectList().block(timeout);
        List<PriceEntry> priceRows = repository.loadPrices().collectList().block(timeout);
        List<GroupEntry> groupRows = repository.loadGroups().collectList().block(timeout);
        channelRows.forEach(this::putChannel);
        priceRows.forEach(p -> prices.merge(p.model(), p, RelaySnapshot::newerPrice));
        groupRows.forEach(g -> groups.merge(g.name(), g, (old, neu) -> neu.version() > old.version() ? neu : old));
        loaded = true;
        log.info("Snapshot loaded: {} channels, {} prices, {} groups", channels.size(), prices.size(), groups.size());
    }

    /** Applies one committed change from the changes topic. */
    public void apply(Change change) {
        if (change instanceof Change.KeyChanged c) {
            keys.asMap().merge(c.keyHash(), KeyState.from(c), RelaySnapshot::newerKey);
            unknownKeys.invalidate(c.keyHash());
        } else if (change instanceof Change.ChannelChanged c) {
            putChannel(new SnapshotRepository.ChannelRow(c.id(), c.name(), c.provider(), c.baseUrl(),
                    c.apiKeyCiphertext(), c.config(), c.models(), c.modelMapping(), c.groups(), c.priority(), c.weight(),
                    c.enabled(), c.deleted(), c.version()));
        } else if (change instanceof Change.PriceChanged c) {
            prices.merge(c.model(), new PriceEntry(c.model(), c.version(), c.price(), c.outputReserveTokens()),
                    RelaySnapshot::newerPrice);
        } else if (change instanceof Change.GroupChanged c) {
            groups.merge(c.name(), new GroupEntry(c.name(), c.multiplierBp(), c.version(), c.rpmLimit(), c.tpmLimit()),
                    (old, neu) -> neu.version() > old.version() ? neu : old);
        } else if (change instanceof Change.UserChanged c) {
            users.asMap().merge(c.id(), UserState.profile(c.id(), c.group(), c.enabled(), c.version(), c.rpmLimit(),
                            c.tpmLimit(), c.role()),
                    UserState::merge);
        } else if (change instanceof Change.BalanceChanged c) {
            applyBalance(c);
        }
        // CommandResult, SessionsRevoked (admin sessions): nothing to hold.
    }

    /** The new balance and key spend first, then the release of what they include: never the other way round. */
    private void applyBalance(Change.BalanceChanged c) {
        users.asMap().merge(c.userId(), UserState.balance(c.userId(), c.balanceMicros(), c.version()),
                UserState::merge);
        // Spend only grows; kept by key id because the key cache is keyed by hash.
        c.keysUsed().forEach((keyId, used) -> keyUsed.asMap().merge(keyId, used, Math::max));
        Long seq = c.relaySeqs().get(relayId);
        if (seq != null) {
            balanceListener.balanceIncludes(c.userId(), seq);
        }
    }

    /** The freshest balance known for this user: the held one, or {@code seen}'s when that is newer or none is held. */
    public long balanceMicros(UserState seen) {
        UserState held = users.getIfPresent(seen.id());
        return held != null && held.hasBalance() && held.balanceVersion() >= seen.balanceVersion()
                ? held.balanceMicros() : seen.balanceMicros();
    }

    /** What the key has spent as far as the ledger has told us (the key row or a later balance change). */
    public long usedMicros(KeyState key) {
        Long used = keyUsed.getIfPresent(key.id());
        return used == null ? key.usedMicros() : Math.max(used, key.usedMicros());
    }

    private KeyState keepKey(KeyState loaded) {
        return keys.asMap().merge(loaded.keyHash(), loaded, RelaySnapshot::newerKey);
    }

    private Optional<KeyState> rememberUnknown(String keyHash) {
        KeyState arrived = keys.getIfPresent(keyHash);
        if (arrived != null) {
            return Optional.of(arrived);
        }
        unknownKeys.put(keyHash, Boolean.TRUE);
        return Optional.empty();
    }

    private UserState keepUser(SnapshotRepository.LoadedUser loaded) {
        UserState kept = users.asMap().merge(loaded.state().id(), loaded.state(), UserState::merge);
        if (loaded.appliedSeq() > 0) {
            balanceListener.balanceIncludes(loaded.state().id(), loaded.appliedSeq());
        }
        return kept;
    }

    private void putChannel(SnapshotRepository.ChannelRow row) {
        channels.compute(row.id(), (id, old) -> old != null && old.version() >= row.version() ? old : decrypt(row));
    }

    /** Decrypts once, when a channel version enters the snapshot; the plaintext is never logged. */
    private Channel decrypt(SnapshotRepository.ChannelRow row) {
        String apiKey = null;
        boolean broken = false;
        if (row.apiKeyCiphertext() != null && !row.apiKeyCiphertext().isBlank()) {
            try {
                apiKey = secretBox == null ? null : secretBox.decrypt(row.apiKeyCiphertext());
                broken = apiKey == null;
            } catch (IllegalArgumentException e) {
                broken = true;
            }
            if (broken) {
                log.warn("Channel {} ({}) is not routable: its key cannot be decrypted with TOLLGATE_MASTER_KEY",
                        row.id(), row.name());
            }
        }
        return new Channel(row.id(), row.name(), row.provider(), row.baseUrl(), apiKey, row.config(), java.util.Set.copyOf(
                row.models()), row.modelMapping(), java.util.Set.copyOf(row.groups()), row.priority(), row.weight(),
                row.enabled(), row.deleted(), broken, row.version());
    }

    private static KeyState newerKey(KeyState old, KeyState neu) {
        if (neu.version() > old.version()) {
            return neu;
        }
        // Same version: the one with the higher spend is the fresher copy (spend arrives with balance changes).
        return neu.version() == old.version() && neu.usedMicros() > old.usedMicros() ? neu : old;
    }

    private static PriceEntry newerPrice(PriceEntry old, PriceEntry neu) {
        return neu.version() > old.version() ? neu : old;
    }
}
