package dev.tollgate.contracts.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The channel test and the ledger's probe of a Vertex AI channel, against the simulator's Vertex stand-in. */
class VertexProbeTest {

    private static final Simulator sim = Simulator.start(0);
    private static final Map<String, Object> VERTEX = Map.of("project", "probe-proj", "location", "us-central1");
    private final UpstreamProbe probe = new UpstreamProbe(Duration.ofSeconds(2), Duration.ofSeconds(5));

    @BeforeEach
    void reset() {
        sim.reset();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void shouldBuyATokenAndCallTheProjectsModelWhenTheKeyIsAServiceAccount() {
        String key = sim.vertex().newServiceAccount("probe@probe-proj.iam.gserviceaccount.com");

        ProbeResult result = probe.probe("gemini", sim.vertexBaseUrl(), key, VERTEX, "gemini-2.5-flash");

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(sim.vertex().tokensIssued()).isEqualTo(1);
        RecordedRequest sent = sim.lastRequest();
        assertThat(sent.decodedPath()).isEqualTo(
                "/v1/projects/probe-proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent");
        assertThat(sent.authScheme()).isEqualTo("Bearer");
        assertThat(sent.body().at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(1);
    }

    @Test
    void shouldReportRejectedCredentialsWhenTheTokenEndpointRefusesTheSignature() {
        ObjectNode forged = (ObjectNode) Json.mapper().readTree(sim.vertex().newServiceAccount("a@probe-proj.iam.gserviceaccount.com"));
        String other = Json.mapper().readTree(sim.vertex().newServiceAccount("b@probe-proj.iam.gserviceaccount.com"))
                .path("private_key").asString();
        forged.put("private_key", other);

        ProbeResult result = probe.probe("gemini", sim.vertexBaseUrl(), Json.mapper().writeValueAsString(forged),
                VERTEX, "gemini-2.5-flash");

        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.CREDENTIALS_REJECTED);
        assertThat(result.status()).isEqualTo(400);
        assertThat(result.message()).contains("token endpoint refused").contains("invalid_grant")
                .doesNotContain("PRIVATE KEY");
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void shouldReportRejectedCredentialsWhenTheKeyIsNoServiceAccount() {
        ProbeResult result = probe.probe("gemini", sim.vertexBaseUrl(), "{\"type\":\"authorized_user\"}", VERTEX,
                "gemini-2.5-flash");

        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.CREDENTIALS_REJECTED);
        assertThat(result.message()).contains("not \"service_account\"");
    }

    @Test
    void shouldSendAnExpressModeKeyInItsHeader() {
        ProbeResult result = probe.probe("gemini", sim.vertexBaseUrl(), "AQ.express-key-0123456789",
                Map.of("vertex", true), "gemini-2.5-flash");

        assertThat(result.ok()).as(result.message()).isTrue();
        RecordedRequest sent = sim.lastRequest();
        assertThat(sent.decodedPath()).isEqualTo("/v1/publishers/google/models/gemini-2.5-flash:generateContent");
        assertThat(sent.googApiKey()).isTrue();
        assertThat(sent.authorization()).isFalse();
    }

    @Test
    void shouldSayAModelIsNeededWhenProbingVertexWithoutOne() {
        String key = sim.vertex().newServiceAccount("probe@probe-proj.iam.gserviceaccount.com");

        assertThat(probe.probe("gemini", sim.vertexBaseUrl(), key, VERTEX).verdict())
                .isEqualTo(ProbeResult.Verdict.UNSUPPORTED);
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void shouldListModelGardensPublisherModelsPageByPageWithOneTokenWhenTheKeyIsAServiceAccount() {
        sim.config(SimulatorConfig.defaults().withModels(List.of("gemini-2.5-flash", "gemini-2.5-pro",
                "text-embedding-005", "gemini-embedding-001", "imagen-4.0-generate-001")));
        sim.vertex().maxPageSize(2);
        String key = sim.vertex().newServiceAccount("probe@probe-proj.iam.gserviceaccount.com");

        List<String> models = probe.models("gemini", sim.vertexBaseUrl(), key, VERTEX);

        assertThat(models).containsExactly("gemini-2.5-flash", "gemini-2.5-pro", "text-embedding-005",
                "gemini-embedding-001", "imagen-4.0-generate-001");
        assertThat(sim.vertex().tokensIssued()).isEqualTo(1);
        List<RecordedRequest> pages = sim.requests().stream()
                .filter(r -> r.path().equals("/v1beta1/publishers/google/models"))
                .toList();
        assertThat(pages).hasSize(3).allSatisfy(page -> {
            assertThat(page.method()).isEqualTo("GET");
            assertThat(page.authScheme()).isEqualTo("Bearer");
        });
        assertThat(pages.get(0).query()).doesNotContain("pageToken");
        assertThat(pages.get(1).query()).contains("pageToken=2");
        assertThat(pages.get(2).query()).contains("pageToken=4");
    }

    @Test
    void shouldListWithTheExpressKeyWhenTheChannelHasNoServiceAccount() {
        List<String> models = probe.models("gemini", sim.vertexBaseUrl(), "AQ.express-key-0123456789",
                Map.of("vertex", true));

        assertThat(models).isEqualTo(SimulatorConfig.DEFAULT_MODELS);
        assertThat(sim.lastRequest().googApiKey()).isTrue();
        assertThat(sim.vertex().tokensIssued()).isZero();
    }

    @Test
    void shouldFailTheListingAsRejectedCredentialsWhenTheTokenEndpointRefusesTheKey() {
        ObjectNode forged = (ObjectNode) Json.mapper().readTree(
                sim.vertex().newServiceAccount("a@probe-proj.iam.gserviceaccount.com"));
        forged.put("private_key", Json.mapper().readTree(sim.vertex().newServiceAccount(
                "b@probe-proj.iam.gserviceaccount.com")).path("private_key").asString());

        assertThatThrownBy(() -> probe.models("gemini", sim.vertexBaseUrl(), Json.mapper().writeValueAsString(forged),
                VERTEX))
                .isInstanceOfSatisfying(ProbeFailedException.class, e -> assertThat(e.result().verdict())
                        .isEqualTo(ProbeResult.Verdict.CREDENTIALS_REJECTED));
        assertThat(sim.requests()).noneMatch(r -> r.path().startsWith("/v1beta1/"));
    }

    @Test
    void shouldReadModelIdsFromPublisherModelNames() {
        assertThat(UpstreamProbe.publisherModelIds(Json.mapper().readTree(
                "{\"publisherModels\":[{\"name\":\"publishers/google/models/gemini-2.5-flash\"},"
                        + "{\"name\":\"publishers/google/models/gemini-2.5-flash\"},{\"versionId\":\"001\"}]}")))
                .containsExactly("gemini-2.5-flash");
    }
}
