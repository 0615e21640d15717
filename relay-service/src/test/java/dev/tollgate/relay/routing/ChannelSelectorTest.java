package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.snapshot.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ChannelSelectorTest {

    private static final Predicate<Channel> ALL_SUPPORTED = c -> true;
    private static final BiPredicate<Channel, String> ALL_AVAILABLE = (c, m) -> true;

    private static Channel channel(long id, int priority, int weight, Set<String> groups, Set<String> models) {
        return channel(id, priority, weight, true, "openai", groups, models);
    }

    private static Channel channel(long id, int priority, int weight, boolean enabled, String provider,
            Set<String> groups, Set<String> models) {
        return new Channel(id, "c" + id, provider, "http://x/v1", null, Map.of(), models, Map.of(), groups,
                priority, weight, enabled, false, false, 1);
    }

    private static Channel channel(long id, int priority, int weight) {
        return channel(id, priority, weight, Set.of("default"), Set.of("m"));
    }

    private static RoutePlan plan(List<Channel> channels, List<String> groups, String model, Random random) {
        return ChannelSelector.plan(channels, groups, model, ALL_SUPPORTED, ALL_AVAILABLE, random);
    }

    private static List<Long> ids(RoutePlan plan) {
        return plan.candidates().stream().map(Channel::id).toList();
    }

    @Test
    void shouldTryWholeHigherPriorityTierBeforeLowerOnesWhenPlanning() {
        List<Channel> channels = List.of(channel(1, 0, 100), channel(2, 5, 1), channel(3, 5, 1), channel(4, 2, 1));
        for (int seed = 0; seed < 50; seed++) {
            List<Long> order = ids(plan(channels, List.of("default"), "m", new Random(seed)));
            assertThat(order).hasSize(4);
            assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(2L, 3L);
            assertThat(order.subList(2, 4)).containsExactly(4L, 1L);
        }
    }

    @Test
    void shouldPlaceEveryCandidateOfFirstGroupBeforeFallbackGroupWhenTwoGroupsAreGiven() {
        List<Channel> channels = List.of(
                channel(1, 9, 1, Set.of("fallback"), Set.of("m")),
                channel(2, 0, 1, Set.of("default"), Set.of("m")),
                channel(3, 1, 1, Set.of("default"), Set.of("m")));
        assertThat(ids(plan(channels, List.of("default", "fallback"), "m", new Random(1))))
                .containsExactly(3L, 2L, 1L);
    }

    @Test
    void shouldListChannelOnceAtItsFirstPlaceWhenItIsInBothGroups() {
        List<Channel> channels = List.of(
                channel(1, 9, 1, Set.of("default", "fallback"), Set.of("m")),
                channel(2, 0, 1, Set.of("fallback"), Set.of("m")));
        assertThat(ids(plan(channels, List.of("default", "fallback"), "m", new Random(1))))
                .containsExactly(1L, 2L);
        assertThat(ids(plan(channels, List.of("fallback", "default"), "m", new Random(1))))
                .containsExactly(1L, 2L);
    }

    @Test
    void shouldPutChannelFirstInProportionToWeightWhenTierWeightsAre1To3To6() {
        List<Channel> channels = List.of(channel(1, 0, 1), channel(2, 0, 3), channel(3, 0, 6));
        Random random = new Random(20_000);
        Map<Long, Integer> first = new HashMap<>();
        int plans = 20_000;
        for (int i = 0; i < plans; i++) {
            List<Long> order = ids(plan(channels, List.of("default"), "m", random));
            // An order over the whole tier, not one pick: failover goes on to the others.
            assertThat(order).containsExactlyInAnyOrder(1L, 2L, 3L);
            first.merge(order.get(0), 1, Integer::sum);
        }
        assertThat(first.get(1L) / (double) plans).isBetween(0.08, 0.12);
        assertThat(first.get(2L) / (double) plans).isBetween(0.28, 0.32);
        assertThat(first.get(3L) / (double) plans).isBetween(0.58, 0.62);
    }

    @Test
    void shouldDrawSecondPlaceFromRemainingWeightsWhenFirstIsTaken() {
        // Without replacement: after 3 (weight 6) comes 2 with 3/4, after 2 comes 3 with 6/7.
        List<Channel> channels = List.of(channel(1, 0, 1), channel(2, 0, 3), channel(3, 0, 6));
        Random random = new Random(7);
        int afterThree = 0;
        int twoAfterThree = 0;
        for (int i = 0; i < 20_000; i++) {
            List<Long> order = ids(plan(channels, List.of("default"), "m", random));
            if (order.get(0) == 3L) {
                afterThree++;
                if (order.get(1) == 2L) {
                    twoAfterThree++;
                }
            }
        }
        assertThat(twoAfterThree / (double) afterThree).isBetween(0.73, 0.77);
    }

    @Test
    void shouldPlaceZeroWeightChannelsAfterPositiveOnesInRandomOrderWhenInSameTier() {
        List<Channel> channels = List.of(channel(1, 0, 0), channel(2, 0, 5), channel(3, 0, 0), channel(4, 0, 1));
        Set<List<Long>> tails = new HashSet<>();
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            List<Long> order = ids(plan(channels, List.of("default"), "m", random));
            assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(2L, 4L);
            tails.add(order.subList(2, 4));
        }
        assertThat(tails).containsExactlyInAnyOrder(List.of(1L, 3L), List.of(3L, 1L));
    }

    @Test
    void shouldServeModelThroughWildcardEntriesWhenChannelListsPatterns() {
        List<Channel> channels = List.of(
                channel(1, 0, 1, Set.of("default"), Set.of("*")),
                channel(2, 0, 1, Set.of("default"), Set.of("gpt-4o*")),
                channel(3, 0, 1, Set.of("default"), Set.of("*-mini")),
                channel(4, 0, 1, Set.of("default"), Set.of("gpt-*-mini")),
                channel(5, 0, 1, Set.of("default"), Set.of("gpt-4o-mini")),
                channel(6, 0, 1, Set.of("default"), Set.of("claude-*")));
        assertThat(ids(plan(channels, List.of("default"), "gpt-4o-mini", new Random(1))))
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        assertThat(ids(plan(channels, List.of("default"), "gpt-4o", new Random(1))))
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(ids(plan(channels, List.of("default"), "o3-mini", new Random(1))))
                .containsExactlyInAnyOrder(1L, 3L);
    }

    @Test
    void shouldLeaveOutDisabledOtherGroupsOtherModelsAndUnsupportedProvidersWhenPlanning() {
        List<Channel> channels = List.of(
                channel(1, 9, 1, false, "openai", Set.of("default"), Set.of("m")),
                channel(2, 9, 1, true, "openai", Set.of("vip"), Set.of("m")),
                channel(3, 9, 1, true, "openai", Set.of("default"), Set.of("other")),
                channel(4, 9, 1, true, "gemini", Set.of("default"), Set.of("m")),
                channel(5, 0, 1, true, "openai", Set.of("default"), Set.of("m")));
        RoutePlan plan = ChannelSelector.plan(channels, List.of("default"), "m",
                c -> !c.provider().equals("gemini"), ALL_AVAILABLE, new Random(1));
        assertThat(ids(plan)).containsExactly(5L);
        assertThat(plan.heldBack()).isFalse();
    }

    @Test
    void shouldBeEmptyAndNotHeldBackWhenNoChannelServesTheModel() {
        RoutePlan plan = plan(List.of(channel(1, 0, 1)), List.of("default"), "unknown", new Random(1));
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.heldBack()).isFalse();
    }

    @Test
    void shouldLeaveOutChannelsHealthHoldsBackWhenOthersRemain() {
        List<Channel> channels = List.of(channel(1, 5, 1), channel(2, 0, 1));
        List<String> asked = new ArrayList<>();
        RoutePlan plan = ChannelSelector.plan(channels, List.of("default"), "m", ALL_SUPPORTED,
                (c, model) -> {
                    asked.add(c.id() + "/" + model);
                    return c.id() != 1;
                }, new Random(1));
        assertThat(ids(plan)).containsExactly(2L);
        assertThat(plan.heldBack()).isFalse();
        assertThat(asked).containsExactlyInAnyOrder("1/m", "2/m");
    }

    @Test
    void shouldMarkPlanHeldBackWhenEveryMatchingChannelIsHeldBack() {
        List<Channel> channels = List.of(channel(1, 5, 1), channel(2, 0, 1, Set.of("fallback"), Set.of("m")));
        RoutePlan plan = ChannelSelector.plan(channels, List.of("default", "fallback"), "m", ALL_SUPPORTED,
                (c, model) -> false, new Random(1));
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.heldBack()).isTrue();
    }

    @Test
    void shouldPlanOnlyPinnedChannelWhenItServesTheModelOutsideTheGroups() {
        List<Channel> channels = List.of(channel(1, 9, 9), channel(2, 0, 1, Set.of("admin-only"), Set.of("gpt-*")));
        RoutePlan plan = ChannelSelector.pinned(channels, 2, "gpt-4o", ALL_SUPPORTED);
        assertThat(ids(plan)).containsExactly(2L);
        assertThat(plan.heldBack()).isFalse();
    }

    @Test
    void shouldPlanNothingWhenPinnedChannelIsUnusableUnsupportedMissingOrWithoutTheModel() {
        List<Channel> channels = List.of(
                channel(1, 0, 1, false, "openai", Set.of("default"), Set.of("m")),
                channel(2, 0, 1, true, "gemini", Set.of("default"), Set.of("m")),
                channel(3, 0, 1, true, "openai", Set.of("default"), Set.of("other")));
        Predicate<Channel> supported = c -> !c.provider().equals("gemini");
        assertThat(ChannelSelector.pinned(channels, 1, "m", supported).isEmpty()).isTrue();
        assertThat(ChannelSelector.pinned(channels, 2, "m", supported).isEmpty()).isTrue();
        assertThat(ChannelSelector.pinned(channels, 3, "m", supported).isEmpty()).isTrue();
        assertThat(ChannelSelector.pinned(channels, 99, "m", supported).isEmpty()).isTrue();
    }
}
