package dev.tollgate.relay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.secrets.SecretBox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelaySnapshotTest {

    private final List<long[]> applied = new ArrayList<>();
    private final SecretBox box = SecretBox.fromMasterKey("unit-master-key");
    // No repository: these tests only apply changes, which never read MySQL.
    private final RelaySnapshot snapshot = new RelaySnapshot(null, box, "relay-a",
            (user, seq) -> applied.add(new long[] {user, seq}), 100, 100, Duration.ofSeconds(30));

    private static Change.KeyChanged key(boolean enabled, long version) {
        return new Change.KeyChanged(7, 1, "k", "hash", "tg-abc", null, null, 0, List.of(), List.of(), null, enabled,
                false, version);
    }

    @Test
    void shouldKeepHigherVersionWhenOlderKeyChangeArrivesLate() {
        snapshot.apply(key(false, 3));
        snapshot.apply(key(true, 2));
        Optional<KeyState> held = snapshot.key("hash").block();
        assertThat(held).get().extracting(KeyState::enabled).isEqualTo(false);
    }

    @Test
    void shouldDecryptChannelKeyWhenChannelEntersSnapshot() {
        snapshot.apply(new Change.ChannelChanged(5, "c", "openai", "http://x/v1", box.encrypt("sk-1"), null,
                List.of("m"), null, List.of("default"), 0, 1, true, false, 1));
        Channel channel = snapshot.channels().iterator().next();
        assertThat(channel.apiKey()).isEqualTo("sk-1");
        assertThat(channel.toString()).doesNotContain("sk-1");
    }

    @Test
    void shouldKeepChannelsUsableAcrossAMasterKeyRotationWhetherReencryptedOrNot() {
        SecretBox rotated = SecretBox.fromConfig("new-master-key", "k2", "k1:unit-master-key");
        RelaySnapshot relay = new RelaySnapshot(null, rotated, "relay-a", (user, seq) -> { }, 100, 100,
                Duration.ofSeconds(30));
        relay.apply(new Change.ChannelChanged(5, "before", "openai", "http://x/v1", box.encrypt("sk-old"), null,
                List.of("m"), null, List.of("default"), 0, 1, true, false, 1));
        relay.apply(new Change.ChannelChanged(6, "after", "openai", "http://x/v1",
                rotated.reencrypt(box.encrypt("sk-new")), null, List.of("m"), null, List.of("default"), 0, 1, true,
                false, 2));

        assertThat(relay.channels()).allSatisfy(c -> assertThat(c.usable()).isTrue())
                .extracting(Channel::apiKey).containsExactlyInAnyOrder("sk-old", "sk-new");
    }

    @Test
    void shouldMarkChannelUnroutableWhenKeyCannotBeDecrypted() {
        snapshot.apply(new Change.ChannelChanged(5, "c", "openai", "http://x/v1",
                SecretBox.fromMasterKey("other").encrypt("sk-1"), null, List.of("m"), null, List.of("default"), 0, 1,
                true, false, 1));
        assertThat(snapshot.channels().iterator().next().usable()).isFalse();
    }

    @Test
    void shouldTellPendingChargesAppliedSeqWhenBalanceChangeNamesThisRelay() {
        snapshot.apply(new Change.BalanceChanged(1, 500, 4, Map.of("relay-a", 99L, "relay-b", 1000L), Map.of()));
        assertThat(applied).hasSize(1);
        assertThat(applied.get(0)).containsExactly(1, 99);
    }

    @Test
    void shouldKeepNewerPriceWhenOlderPriceChangeArrives() {
        snapshot.apply(new Change.PriceChanged("m", 3, Price.perMTok(3, 3), null));
        snapshot.apply(new Change.PriceChanged("m", 2, Price.perMTok(2, 2), null));
        assertThat(snapshot.price("m")).get().extracting(PriceEntry::version).isEqualTo(3L);
    }

    @Test
    void shouldBeDownForReadinessWhenSnapshotIsNotLoaded() {
        ChangeFollower follower = ChangeFollower.kafka("127.0.0.1:1", "t", "relay-a", snapshot);
        SnapshotHealthIndicator health = new SnapshotHealthIndicator(snapshot, follower,
                new SnapshotLoader(snapshot, follower));
        assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
        assertThat(health.health().getDetails()).containsEntry("loaded", false);
    }
}
