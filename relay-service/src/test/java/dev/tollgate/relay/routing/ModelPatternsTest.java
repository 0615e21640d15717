package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelPatternsTest {

    @Test
    void shouldMatchOnlyTheSameNameWhenEntryHasNoStar() {
        assertThat(ModelPatterns.matches("gpt-4o", "gpt-4o")).isTrue();
        assertThat(ModelPatterns.matches("gpt-4o", "gpt-4o-mini")).isFalse();
        assertThat(ModelPatterns.matches("gpt-4o", "GPT-4O")).isFalse();
    }

    @Test
    void shouldMatchAnyModelWhenEntryIsALoneStar() {
        assertThat(ModelPatterns.matches("*", "anything-at-all")).isTrue();
        assertThat(ModelPatterns.matches("*", "")).isTrue();
    }

    @Test
    void shouldMatchPrefixWhenStarTrails() {
        assertThat(ModelPatterns.matches("gpt-4o*", "gpt-4o")).isTrue();
        assertThat(ModelPatterns.matches("gpt-4o*", "gpt-4o-mini")).isTrue();
        assertThat(ModelPatterns.matches("gpt-4o*", "gpt-4")).isFalse();
        assertThat(ModelPatterns.matches("gpt-4o*", "x-gpt-4o")).isFalse();
    }

    @Test
    void shouldMatchSuffixWhenStarLeads() {
        assertThat(ModelPatterns.matches("*-mini", "o3-mini")).isTrue();
        assertThat(ModelPatterns.matches("*-mini", "o3-mini-high")).isFalse();
    }

    @Test
    void shouldMatchPrefixAndSuffixWhenStarIsInside() {
        assertThat(ModelPatterns.matches("claude-*-latest", "claude-3-5-sonnet-latest")).isTrue();
        assertThat(ModelPatterns.matches("claude-*-latest", "claude-3-5-sonnet")).isFalse();
        // Prefix and suffix may not overlap.
        assertThat(ModelPatterns.matches("ab*ba", "aba")).isFalse();
        assertThat(ModelPatterns.matches("ab*ba", "abba")).isTrue();
    }

    @Test
    void shouldMatchPartsInOrderWhenEntryHasSeveralStars() {
        assertThat(ModelPatterns.matches("a*b*c", "a-x-b-y-c")).isTrue();
        assertThat(ModelPatterns.matches("a*b*c", "a-c-b")).isFalse();
        assertThat(ModelPatterns.matches("a*bc*c", "abc")).isFalse();
    }

    @Test
    void shouldTellPatternsFromNamesWhenAsked() {
        assertThat(ModelPatterns.isPattern("gpt-*")).isTrue();
        assertThat(ModelPatterns.isPattern("gpt-4o")).isFalse();
    }
}
