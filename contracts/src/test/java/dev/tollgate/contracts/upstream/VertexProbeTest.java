package dev.tollgate.contracts.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import java.time.Duration;
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
    void shouldSayAModelIsNeededAndListNothingForVertex() {
        String key = sim.vertex().newServiceAccount("probe@probe-proj.iam.gserviceaccount.com");

        assertThat(probe.probe("gemini", sim.vertexBaseUrl(), key, VERTEX).verdict())
                .isEqualTo(ProbeResult.Verdict.UNSUPPORTED);
        assertThatThrownBy(() -> probe.models("gemini", sim.vertexBaseUrl(), key, VERTEX))
                .isInstanceOf(ProbeFailedException.class);
        assertThat(sim.requests()).isEmpty();
    }
}
