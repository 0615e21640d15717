package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.snapshot.Channel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelSelectorTest {

    private static Channel channel(long id, int priority, int weight, boolean enabled, String group, String model) {
        return new Channel(id, "c" + id, "openai", "http://x/v1", null, Map.of(), Set.of(model), Map.of(), Set.of(group),
                priority, weight, enabled, false, false, 1);
    }

    @Test
    void shouldPickHighestPriorityWhenSeveralChannelsServeTheModel() {
        List<Channel> channels = List.of(channel(1, 0, 100, true, "default", "m"), channel(2, 5, 1, true, "default", "m"));
        for (int i = 0; i < 20; i++) {
            assertThat(ChannelSelector.select(channels, "default", "m", c -> true, new Random(i)))
                    .map(Channel::id).contains(2L);
        }
    }

    @Test
    void shouldSkipDisabledAndOtherGroupsAndOtherModelsWhenSelecting() {
        List<Channel> channels = List.of(channel(1, 9, 1, false, "default", "m"),
                channel(2, 9, 1, true, "vip", "m"), channel(3, 9, 1, true, "default", "other"),
                channel(4, 0, 1, true, "default", "m"));
        assertThat(ChannelSelector.select(channels, "default", "m", c -> true, new Random(1)))
                .map(Channel::id).contains(4L);
    }

    @Test
    void shouldFindNothingWhenNoChannelServesGroupAndModel() {
        assertThat(ChannelSelector.select(List.of(channel(1, 0, 1, true, "vip", "m")), "default", "m", c -> true,
                new Random(1))).isEmpty();
    }

    @Test
    void shouldSkipUnsupportedProvidersWhenSelecting() {
        assertThat(ChannelSelector.select(List.of(channel(1, 0, 1, true, "default", "m")), "default", "m", c -> false,
                new Random(1))).isEmpty();
    }

    @Test
    void shouldSplitByWeightWithinTopTierWhenPrioritiesTie() {
        List<Channel> channels = List.of(channel(1, 1, 1, true, "default", "m"), channel(2, 1, 3, true, "default", "m"));
        Random random = new Random(42);
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            long id = ChannelSelector.select(channels, "default", "m", c -> true, random).orElseThrow().id();
            counts.merge(id, 1, Integer::sum);
        }
        assertThat(counts.get(2L)).isBetween(2800, 3200);
        assertThat(counts.get(1L)).isBetween(800, 1200);
    }
}
