package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.provider.azure.AzureAdapter;
import dev.tollgate.relay.snapshot.Channel;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** Rerank's capability flag and the usage each server family reports for it. */
class OpenAiRerankTest {

    @Test
    void shouldBillJinasTotalTokensAsInputWhenTheAnswerHasUsage() {
        assertThat(usage("rerank-jina.json")).isEqualTo(TokenUsage.ofTokens(815, 0));
    }

    @Test
    void shouldBillVllmsTotalTokensAsInputWhenTheAnswerHasUsage() {
        assertThat(usage("rerank-vllm.json")).isEqualTo(TokenUsage.ofTokens(28, 0));
    }

    @Test
    void shouldBillSiliconFlowsMetaTokensWhenTheAnswerHasThem() {
        assertThat(usage("rerank-siliconflow.json")).isEqualTo(TokenUsage.ofTokens(28, 0));
    }

    @Test
    void shouldCountCoheresSearchUnitsAsRequestsWhenThatIsAllItBills() {
        assertThat(usage("rerank-cohere.json")).isEqualTo(TokenUsage.ofTokens(0, 0).withRequests(1));
    }

    @Test
    void shouldReportNothingWhenTheAnswerSaysNothingOfUsage() {
        UpstreamResult.Answered answered = OpenAiUsageExtractor.toAnswered(Operation.RERANK, 200, "application/json",
                "{\"results\":[]}".getBytes());

        assertThat(answered.usage()).isNull();
    }

    @Test
    void shouldServeRerankOnlyWherePresetOrConfigSaysSo() {
        OpenAiAdapter adapter = new OpenAiAdapter(WebClient.create());

        assertThat(adapter.serves(Operation.RERANK, channel("vllm", Map.of()))).isTrue();
        assertThat(adapter.serves(Operation.RERANK, channel("siliconflow", Map.of()))).isTrue();
        assertThat(adapter.serves(Operation.RERANK, channel("openai", Map.of()))).isFalse();
        assertThat(adapter.serves(Operation.RERANK, channel("openai", Map.of("rerank", true)))).isTrue();
        assertThat(adapter.serves(Operation.EMBEDDINGS, channel("openai", Map.of()))).isTrue();
        assertThat(new AzureAdapter(WebClient.create()).serves(Operation.RERANK, channel("azure", Map.of())))
                .isFalse();
    }

    private static TokenUsage usage(String golden) {
        return OpenAiUsageExtractor.toAnswered(Operation.RERANK, 200, "application/json", Golden.bytes(golden))
                .usage();
    }

    private static Channel channel(String provider, Map<String, Object> config) {
        return new Channel(1, provider, provider, "http://127.0.0.1:1/v1", "key", config, Set.of("m"), Map.of(),
                Set.of("default"), 0, 1, true, false, false, 1);
    }
}
