package dev.tollgate.relay.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.openai.OpenAiTarget;
import dev.tollgate.relay.snapshot.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Azure channels → where their calls go (golden/azure/targets.json). */
class AzureTargetsTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode node : Json.mapper().readTree(Golden.bytes("targets.json"))) {
            cases.add(Arguments.of(node.path("case").asString(), node));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldTargetTheDeploymentAsRecordedWhenChannelIsConfigured(String name, JsonNode golden) {
        Map<String, Object> config = Json.mapper().convertValue(golden.path("config"),
                new TypeReference<Map<String, Object>>() { });
        Map<String, String> mapping = Json.mapper().convertValue(golden.path("modelMapping"),
                new TypeReference<Map<String, String>>() { });
        String asked = golden.path("asked").asString();

        OpenAiTarget target = AzureTargets.target(call(golden.path("baseUrl").asString(), config, mapping, asked));

        JsonNode expected = golden.path("expected");
        assertThat(target.url()).isEqualTo(expected.path("url").asString());
        assertThat(target.model()).isEqualTo(expected.path("model").asString());
        assertThat(target.keyHeader().name()).isEqualTo(expected.path("keyHeader").asString());
        assertThat(target.preset().streamUsage()).isEqualTo(expected.path("streamUsage").asBoolean());
        assertThat(target.preset().outputLimit().name()).isEqualTo(expected.path("outputLimit").asString());
    }

    @Test
    void shouldFailAsUnreachableWhenChannelNamesNoEndpoint() {
        assertThatThrownBy(() -> AzureTargets.target(call(" ", Map.of(), Map.of(), "gpt-4o")))
                .isInstanceOf(UpstreamFailure.Unreachable.class);
    }

    @Test
    void shouldSendEmbeddingsToTheDeploymentsEmbeddingsPathWhenDated() {
        UpstreamCall chat = call("https://res.openai.azure.com", Map.of("apiVersion", "2024-10-21",
                "deployments", Map.of("text-embedding-3-small", "embed-prod")), Map.of(), "text-embedding-3-small");
        UpstreamCall embeddings = new UpstreamCall(chat.channel(), chat.inbound(), chat.request(), chat.rawBody(),
                chat.askedModel(), false, null, Operation.EMBEDDINGS);

        assertThat(AzureTargets.target(embeddings).url()).isEqualTo(
                "https://res.openai.azure.com/openai/deployments/embed-prod/embeddings?api-version=2024-10-21");
    }

    @Test
    void shouldSendEmbeddingsToTheV1EmbeddingsPathWhenV1() {
        UpstreamCall chat = call("https://res.openai.azure.com/openai/v1", Map.of(), Map.of(), "embed");
        UpstreamCall embeddings = new UpstreamCall(chat.channel(), chat.inbound(), chat.request(), chat.rawBody(),
                chat.askedModel(), false, null, Operation.EMBEDDINGS);

        assertThat(AzureTargets.target(embeddings).url()).isEqualTo("https://res.openai.azure.com/openai/v1/embeddings");
    }

    @Test
    void shouldSendAudioToTheDeploymentsAudioPaths() {
        UpstreamCall chat = call("https://res.openai.azure.com", Map.of("apiVersion", "2024-10-21",
                "deployments", Map.of("whisper", "whisper-prod")), Map.of(), "whisper");
        for (Operation operation : new Operation[] {Operation.AUDIO_TRANSCRIPTIONS, Operation.AUDIO_TRANSLATIONS,
                Operation.AUDIO_SPEECH}) {
            UpstreamCall audio = new UpstreamCall(chat.channel(), chat.inbound(), chat.request(), chat.rawBody(),
                    chat.askedModel(), false, null, operation);

            assertThat(AzureTargets.target(audio).url()).isEqualTo("https://res.openai.azure.com/openai/deployments/"
                    + "whisper-prod/" + operation.path() + "?api-version=2024-10-21");
        }
    }

    @Test
    void shouldSendResponsesToTheResourcesResponsesPathWithTheDeploymentAsModel() {
        UpstreamCall dated = responses(call("https://res.openai.azure.com", Map.of("apiVersion", "2025-04-01-preview",
                "deployments", Map.of("gpt-4.1", "gpt41-prod")), Map.of(), "gpt-4.1"));
        UpstreamCall v1 = responses(call("https://res.openai.azure.com/openai/v1",
                Map.of("deployments", Map.of("gpt-4.1", "gpt41-prod")), Map.of(), "gpt-4.1"));

        assertThat(AzureTargets.target(dated).url())
                .isEqualTo("https://res.openai.azure.com/openai/responses?api-version=2025-04-01-preview");
        assertThat(AzureTargets.target(dated).model()).isEqualTo("gpt41-prod");
        assertThat(AzureTargets.target(v1).url()).isEqualTo("https://res.openai.azure.com/openai/v1/responses");
        assertThat(AzureTargets.target(v1).model()).isEqualTo("gpt41-prod");
        assertThat(OpenAiTarget.under(AzureTargets.target(dated).url(), "/resp_1/input_items", "limit=5"))
                .isEqualTo("https://res.openai.azure.com/openai/responses/resp_1/input_items"
                        + "?api-version=2025-04-01-preview&limit=5");
    }

    @Test
    void shouldServeResponsesNativelyOnlyWhereTheSurfaceHasThemUnlessConfigSays() {
        assertThat(AzureTargets.servesResponses(call("https://r.openai.azure.com/openai/v1", Map.of(), Map.of(), "m")
                .channel())).isTrue();
        assertThat(AzureTargets.servesResponses(call("https://r.openai.azure.com",
                Map.of("apiVersion", "2025-03-01-preview"), Map.of(), "m").channel())).isTrue();
        assertThat(AzureTargets.servesResponses(call("https://r.openai.azure.com", Map.of(), Map.of(), "m")
                .channel())).as("the default dated version predates them").isFalse();
        assertThat(AzureTargets.servesResponses(call("https://r.openai.azure.com/openai/v1",
                Map.of("nativeResponses", false), Map.of(), "m").channel())).isFalse();
        assertThat(AzureTargets.servesResponses(call("https://r.openai.azure.com",
                Map.of("nativeResponses", "true"), Map.of(), "m").channel())).isTrue();
    }

    private static UpstreamCall responses(UpstreamCall chat) {
        return new UpstreamCall(chat.channel(), Dialect.OPENAI_RESPONSES, chat.request(), chat.rawBody(),
                chat.askedModel(), false, null, Operation.RESPONSES);
    }

    static UpstreamCall call(String baseUrl, Map<String, Object> config, Map<String, String> mapping, String asked) {
        Channel channel = new Channel(7, "azure", "azure", baseUrl, "azure-key", config, Set.of(asked), mapping,
                Set.of("default"), 0, 1, true, false, false, 1);
        byte[] raw = ("{\"model\":\"" + asked + "\",\"messages\":[]}").getBytes();
        return new UpstreamCall(channel, Dialect.OPENAI, (ObjectNode) Json.mapper().readTree(raw), raw, asked, false);
    }
}
