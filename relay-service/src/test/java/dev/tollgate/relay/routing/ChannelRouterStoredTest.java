package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.secrets.SecretBox;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.provider.ProviderAdapters;
import dev.tollgate.relay.provider.openai.OpenAiAdapter;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import dev.tollgate.relay.snapshot.UserState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing a request that must reach the one channel keeping its state (a stored response). */
class ChannelRouterStoredTest {

    private final SecretBox box = SecretBox.fromMasterKey("unit-master-key");
    private final RelaySnapshot snapshot = new RelaySnapshot(null, box, "relay-a", new PendingCharges(), 10, 10,
            Duration.ofSeconds(30));
    private final ChannelRouter router = new ChannelRouter(snapshot, new ProviderAdapters(List.of(new OpenAiAdapter(null))));

    private void channel(long id, String provider, List<String> models, List<String> groups, boolean enabled) {
        snapshot.apply(new Change.ChannelChanged(id, "c" + id, provider, "http://x/v1", box.encrypt("sk"), null,
                models, null, groups, 0, 1, enabled, false, 1, false, null, List.of()));
    }

    private static Principal principal(String group, Set<String> models) {
        KeyState key = new KeyState(7, 1, "hash", null, null, 0, models, List.of(), null, true, false, 1);
        return new Principal(key, new UserState(1, group, true, 1, true, 1_000_000, 1, true), group);
    }

    @Test
    void shouldPlanOnlyTheNamedChannelWhenItServesTheModelToTheGroup() {
        channel(1, "openai", List.of("gpt"), List.of("default"), true);
        channel(2, "openai", List.of("gpt"), List.of("default"), true);

        RoutePlan plan = router.planOn(List.of("default"), "gpt", 2);

        assertThat(plan.candidates()).extracting(Channel::id).containsExactly(2L);
    }

    @Test
    void shouldPlanNothingWhenTheNamedChannelIsAnotherGroupsOrServesAnotherModelOrIsOff() {
        channel(1, "openai", List.of("gpt"), List.of("vip"), true);
        channel(2, "openai", List.of("other"), List.of("default"), true);
        channel(3, "openai", List.of("gpt"), List.of("default"), false);

        for (long id : new long[] {1, 2, 3, 99}) {
            RoutePlan plan = router.planOn(List.of("default"), "gpt", id);
            assertThat(plan.isEmpty()).as("channel %d", id).isTrue();
            assertThat(plan.heldBack()).isFalse();
        }
    }

    @Test
    void shouldReachAChannelForStoredCallsOnlyInTheKeysGroupsAndForAModelTheKeyMayUse() {
        channel(1, "openai", List.of("gpt"), List.of("default"), true);
        channel(2, "openai", List.of("gpt"), List.of("vip"), true);
        channel(3, "anthropic", List.of("gpt"), List.of("default"), true); // no adapter here

        assertThat(router.channelFor(principal("default", Set.of()), 1)).isPresent();
        assertThat(router.channelFor(principal("default", Set.of("gpt")), 1)).isPresent();
        assertThat(router.channelFor(principal("default", Set.of("other")), 1)).isEmpty();
        assertThat(router.channelFor(principal("default", Set.of()), 2)).isEmpty();
        assertThat(router.channelFor(principal("default", Set.of()), 3)).isEmpty();
        assertThat(router.channelFor(principal("default", Set.of()), 99)).isEmpty();
    }
}
