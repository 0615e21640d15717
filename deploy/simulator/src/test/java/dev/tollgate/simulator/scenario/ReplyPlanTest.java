package dev.tollgate.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReplyPlanTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode SCHEMA = JSON.readTree("""
            {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
             "celsius":{"type":"boolean"},"ratio":{"type":"number"},"tags":{"type":"array"},
             "note":{"type":["string","null"]},"optional":{"type":"string"}},
             "required":["city","days","celsius","ratio","tags","note"]}""");

    @Test
    void shouldFillOnlyTheRequiredPropertiesByTypeWhenBuildingToolArguments() {
        JsonNode arguments = ReplyPlan.arguments(SCHEMA);

        assertThat(arguments).isEqualTo(JSON.readTree(
                "{\"city\":\"sim\",\"days\":1,\"celsius\":true,\"ratio\":1,\"tags\":null,\"note\":\"sim\"}"));
    }

    @Test
    void shouldCallTheFirstToolWhenToolsAreDeclaredAndChoiceIsAuto() {
        SimRequest request = SimRequest.builder("m").text("hi")
                .tool("weather", "Weather", SCHEMA).tool("time", null, JSON.readTree("{}")).build();

        ReplyPlan plan = ReplyPlan.of(request, SimulatorConfig.defaults());

        assertThat(plan.answer()).isInstanceOfSatisfying(ReplyPlan.ToolCall.class, call -> {
            assertThat(call.name()).isEqualTo("weather");
            assertThat(call.id()).hasSize(24);
            assertThat(String.join("", call.pieces())).isEqualTo(call.arguments());
            assertThat(call.pieces()).hasSize(2);
            assertThat(JSON.readTree(call.arguments())).isEqualTo(call.input());
        });
        assertThat(plan.completionTokens()).isEqualTo(5);
    }

    @Test
    void shouldCallTheNamedToolWhenChoiceNamesOne() {
        SimRequest request = SimRequest.builder("m").tool("weather", null, SCHEMA)
                .tool("time", null, JSON.readTree("{}")).toolChoice(ToolChoice.named("time")).build();

        ReplyPlan plan = ReplyPlan.of(request, SimulatorConfig.defaults());

        assertThat(((ReplyPlan.ToolCall) plan.answer()).name()).isEqualTo("time");
        assertThat(((ReplyPlan.ToolCall) plan.answer()).arguments()).isEqualTo("{}");
    }

    @Test
    void shouldAnswerTextWhenToolChoiceIsNone() {
        SimRequest request = SimRequest.builder("m").tool("weather", null, SCHEMA).toolChoice(ToolChoice.NONE).build();

        ReplyPlan plan = ReplyPlan.of(request, SimulatorConfig.defaults().withChunks(2));

        assertThat(plan.answer()).isEqualTo(new ReplyPlan.Text(java.util.List.of("tok0 ", "tok1 ")));
    }

    @Test
    void shouldEchoTheToolResultWhenTheLastTurnCarriesOne() {
        SimRequest request = SimRequest.builder("m").tool("weather", null, SCHEMA).toolResult("sunny, 20C").build();

        ReplyPlan plan = ReplyPlan.of(request, SimulatorConfig.defaults());

        assertThat(plan.answer()).isInstanceOfSatisfying(ReplyPlan.Text.class, text -> {
            assertThat(text.text()).isEqualTo("tool said sunny, 20C");
            assertThat(text.pieces()).containsExactly("tool ", "said ", "sunny, ", "20C");
        });
        assertThat(plan.completionTokens()).isEqualTo(4);
    }

    @Test
    void shouldEstimatePromptTokensFromTextAndImagesAndSplitCacheTokensOut() {
        SimRequest request = SimRequest.builder("m").text("x".repeat(41)).image().image().build();

        ReplyPlan estimated = ReplyPlan.of(request, SimulatorConfig.defaults().withImageTokens(100));
        ReplyPlan cached = ReplyPlan.of(request, SimulatorConfig.defaults().withPromptTokens(100)
                .withCachedTokens(30).withCacheWriteTokens(20));
        ReplyPlan overCached = ReplyPlan.of(request, SimulatorConfig.defaults().withPromptTokens(10)
                .withCachedTokens(30));

        assertThat(estimated.promptTokens()).isEqualTo(11 + 200);
        assertThat(cached.uncachedPromptTokens()).isEqualTo(50);
        assertThat(cached.cachedTokens()).isEqualTo(30);
        assertThat(cached.cacheWriteTokens()).isEqualTo(20);
        assertThat(overCached.uncachedPromptTokens()).isZero();
    }
}
