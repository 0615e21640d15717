package dev.tollgate.simulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class VertexHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EMAIL = "relay@tollgate-test.iam.gserviceaccount.com";
    private static final String TEXT = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hi.\"}]}]}";
    private static final String PATH =
            "/v1/projects/tollgate-test/locations/us-central1/publishers/google/models/gemini-2.5-flash";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldIssueATokenThatOpensTheProjectPathsWhenTheAssertionIsSignedByATrustedAccount() throws Exception {
        JsonNode key = JSON.readTree(sim.vertex().newServiceAccount(EMAIL));
        assertThat(key.path("token_uri").asString()).isEqualTo(sim.vertexTokenUri());
        assertThat(key.path("project_id").asString()).isEqualTo("tollgate-test");

        HttpResponse<String> tokenAnswer = exchange(assertion(key, privateKey(key), Instant.now()));

        assertThat(tokenAnswer.statusCode()).isEqualTo(200);
        JsonNode token = JSON.readTree(tokenAnswer.body());
        assertThat(token.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.path("expires_in").asLong()).isEqualTo(3600);
        String bearer = "Bearer " + token.path("access_token").asString();
        HttpResponse<String> answer = client.post(PATH + ":generateContent", TEXT, "Authorization", bearer);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("usageMetadata").path("promptTokenCount").asLong()).isPositive();
        HttpResponse<String> stream = client.post(PATH + ":streamGenerateContent?alt=sse", TEXT,
                "Authorization", bearer);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(SimClient.events(stream.body())).isNotEmpty();
        assertThat(sim.vertex().tokensIssued()).isEqualTo(1);
    }

    @Test
    void shouldRefuseTheAssertionWhenAnotherKeySignedIt() throws Exception {
        JsonNode key = JSON.readTree(sim.vertex().newServiceAccount(EMAIL));
        JsonNode stranger = JSON.readTree(sim.vertex().newServiceAccount("other@x.iam.gserviceaccount.com"));

        HttpResponse<String> answer = exchange(assertion(key, privateKey(stranger), Instant.now()));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(JSON.readTree(answer.body()).path("error_description").asString())
                .isEqualTo("Invalid JWT Signature.");
        assertThat(sim.vertex().tokensIssued()).isZero();
        assertThat(sim.vertex().assertionsRefused()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnExpiredAssertion() throws Exception {
        JsonNode key = JSON.readTree(sim.vertex().newServiceAccount(EMAIL));

        HttpResponse<String> answer = exchange(assertion(key, privateKey(key), Instant.now().minusSeconds(7200)));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void shouldAnswer401WhenTheTokenIsUnknownOrMissing() throws Exception {
        HttpResponse<String> unknown = client.post(PATH + ":generateContent", TEXT, "Authorization", "Bearer made-up");
        HttpResponse<String> missing = client.post(PATH + ":generateContent", TEXT);

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unknown.body()).path("error").path("status").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(missing.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseATokenOnceItsShortLifetimeIsOver() throws Exception {
        sim.vertex().tokenLifetime(Duration.ofSeconds(1));
        JsonNode key = JSON.readTree(sim.vertex().newServiceAccount(EMAIL));
        JsonNode token = JSON.readTree(exchange(assertion(key, privateKey(key), Instant.now())).body());
        String value = token.path("access_token").asString();
        assertThat(token.path("expires_in").asLong()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> sim.vertex().expired(value));

        HttpResponse<String> answer = client.post(PATH + ":generateContent", TEXT, "Authorization", "Bearer " + value);
        assertThat(answer.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldServeExpressModeWithAnApiKey() throws Exception {
        String express = "/v1/publishers/google/models/gemini-2.5-flash:generateContent";

        HttpResponse<String> withKey = client.post(express, TEXT, "x-goog-api-key", "AQ.express");
        HttpResponse<String> withoutKey = client.post(express, TEXT);

        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(withoutKey.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldHandOutAServiceAccountKeyToOtherProcesses() throws Exception {
        HttpResponse<String> created = client.post("/_sim/vertex/service-accounts?email=" + EMAIL, "");

        JsonNode key = JSON.readTree(created.body());
        assertThat(key.path("client_email").asString()).isEqualTo(EMAIL);
        assertThat(exchange(assertion(key, privateKey(key), Instant.now())).statusCode()).isEqualTo(200);
    }

    // ---- what a Google client does ----


    @Test
    void shouldEmbedEachInstanceAndCountItsTokensWhenPredictIsCalledWithAKey() throws Exception {
        String body = "{\"instances\":[{\"content\":\"hello\",\"task_type\":\"RETRIEVAL_QUERY\"},"
                + "{\"content\":\"a longer text to embed\"}],\"parameters\":{\"outputDimensionality\":5}}";

        HttpResponse<String> answer = client.post("/v1/publishers/google/models/text-embedding-005:predict", body,
                "x-goog-api-key", "AQ.express");
        HttpResponse<String> keyless = client.post("/v1/publishers/google/models/text-embedding-005:predict", body);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode predictions = JSON.readTree(answer.body()).path("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).path("embeddings").path("values")).hasSize(5);
        assertThat(predictions.get(0).path("embeddings").path("statistics").path("token_count").asLong())
                .isEqualTo(2);
        assertThat(predictions.get(1).path("embeddings").path("statistics").path("token_count").asLong())
                .isEqualTo(6);
        assertThat(predictions.get(1).path("embeddings").path("statistics").path("truncated").asBoolean()).isFalse();
        assertThat(keyless.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseMoreThanOneInstanceWhenTheModelIsAGeminiEmbeddingModel() throws Exception {
        HttpResponse<String> answer = client.post("/v1/publishers/google/models/gemini-embedding-001:predict",
                "{\"instances\":[{\"content\":\"a\"},{\"content\":\"b\"}]}", "x-goog-api-key", "AQ.express");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").path("status").asString()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void shouldListThePublisherModelsInPagesWhenAskedWithAKey() throws Exception {
        sim.vertex().maxPageSize(2);

        HttpResponse<String> first = client.get("/v1beta1/publishers/google/models?pageSize=1000",
                "x-goog-api-key", "AQ.express");
        JsonNode page = JSON.readTree(first.body());
        HttpResponse<String> last = client.get("/v1beta1/publishers/google/models?pageSize=1000&pageToken="
                + page.path("nextPageToken").asString(), "x-goog-api-key", "AQ.express");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(page.path("publisherModels")).hasSize(2);
        assertThat(page.path("publisherModels").get(0).path("name").asString())
                .isEqualTo("publishers/google/models/gpt-4o-mini");
        JsonNode rest = JSON.readTree(last.body());
        assertThat(rest.path("publisherModels")).hasSize(1);
        assertThat(rest.has("nextPageToken")).isFalse();
        assertThat(client.get("/v1beta1/publishers/google/models").statusCode()).isEqualTo(401);
    }
    private HttpResponse<String> exchange(String assertion) throws Exception {
        String form = "grant_type=" + URLEncoder.encode(VertexHandler.JWT_BEARER, StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(sim.vertexTokenUri()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String assertion(JsonNode key, PrivateKey signer, Instant issuedAt) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.path("private_key_id").asString()).build(),
                new JWTClaimsSet.Builder()
                        .issuer(key.path("client_email").asString())
                        .audience(key.path("token_uri").asString())
                        .claim("scope", VertexHandler.CLOUD_PLATFORM)
                        .issueTime(Date.from(issuedAt))
                        .expirationTime(Date.from(issuedAt.plusSeconds(3600)))
                        .build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private static PrivateKey privateKey(JsonNode key) throws Exception {
        String base64 = key.path("private_key").asString()
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s+", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
