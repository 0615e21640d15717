package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import java.net.ConnectException;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class VertexTokensTest {

    private static final String TOKEN_URI = "https://oauth2.example.test/token";
    private static String key;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final List<ClientRequest> sent = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger issued = new AtomicInteger();

    @BeforeAll
    static void serviceAccount() throws Exception {
        key = serviceAccountJson("relay@p.iam.gserviceaccount.com", TOKEN_URI);
    }

    @Test
    void shouldReuseTheTokenUntilShortlyBeforeItExpiresThenBuyAnother() {
        VertexTokens tokens = tokens(request -> Mono.just(granted(3600)));
        Channel channel = channel(1, 1, key);

        String first = tokens.token(channel).block(Duration.ofSeconds(5));
        clock.advance(Duration.ofMinutes(54));
        String stillFirst = tokens.token(channel).block(Duration.ofSeconds(5));
        // 55 minutes in: within five minutes of the hour, so bought again before it lapses.
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        String second = tokens.token(channel).block(Duration.ofSeconds(5));

        assertThat(stillFirst).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(sent).hasSize(2).allSatisfy(request -> {
            assertThat(request.url()).isEqualTo(URI.create(TOKEN_URI));
            assertThat(request.method()).isEqualTo(HttpMethod.POST);
            assertThat(request.headers().getContentType().toString()).startsWith("application/x-www-form-urlencoded");
        });
    }

    @Test
    void shouldRefreshAShortLivedTokenAFifthOfItsLifetimeAhead() {
        VertexTokens tokens = tokens(request -> Mono.just(granted(10)));
        Channel channel = channel(1, 1, key);

        String first = tokens.token(channel).block(Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(7_900));
        assertThat(tokens.token(channel).block(Duration.ofSeconds(5))).isEqualTo(first);
        clock.advance(Duration.ofMillis(200));
        assertThat(tokens.token(channel).block(Duration.ofSeconds(5))).isNotEqualTo(first);
    }

    @Test
    void shouldBuyOneTokenWhenManyCallersAskAtOnce() {
        Sinks.One<ClientResponse> answer = Sinks.one();
        VertexTokens tokens = tokens(request -> answer.asMono());
        Channel channel = channel(1, 1, key);

        List<Mono<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(tokens.token(channel).cache());
        }
        waiting.forEach(mono -> mono.subscribe(token -> { }, error -> { }));
        assertThat(sent).hasSize(1);
        answer.tryEmitValue(granted(3600));

        List<String> got = Flux.concat(waiting).collectList().block(Duration.ofSeconds(5));
        assertThat(got).hasSize(50).containsOnly(got.get(0));
        assertThat(sent).hasSize(1);
        assertThat(tokens.purchases(1)).isEqualTo(1);
    }

    @Test
    void shouldFinishThePurchaseForOthersWhenTheFirstCallerCancels() {
        Sinks.One<ClientResponse> answer = Sinks.one();
        VertexTokens tokens = tokens(request -> answer.asMono());
        Channel channel = channel(1, 1, key);

        tokens.token(channel).subscribe().dispose();
        Mono<String> second = tokens.token(channel).cache();
        second.subscribe(token -> { }, error -> { });
        answer.tryEmitValue(granted(3600));

        assertThat(second.block(Duration.ofSeconds(5))).startsWith("token-");
        assertThat(sent).hasSize(1);
    }

    @Test
    void shouldStartAfreshForANewChannelVersionAndAfterAnInvalidation() {
        VertexTokens tokens = tokens(request -> Mono.just(granted(3600)));

        String v1 = tokens.token(channel(1, 1, key)).block(Duration.ofSeconds(5));
        String v2 = tokens.token(channel(1, 2, key)).block(Duration.ofSeconds(5));
        assertThat(tokens.token(channel(1, 1, key)).block(Duration.ofSeconds(5))).isEqualTo(v2);
        tokens.invalidate(channel(1, 2, key), v2);
        String v2again = tokens.token(channel(1, 2, key)).block(Duration.ofSeconds(5));

        assertThat(List.of(v1, v2, v2again)).doesNotHaveDuplicates();
        assertThat(sent).hasSize(3);
    }

    @Test
    void shouldForgetAChannelNoLongerAskedForOnceATokenWouldHaveLapsed() {
        VertexTokens tokens = tokens(request -> Mono.just(granted(3600)));
        Channel kept = channel(1, 1, key);
        Channel deleted = channel(2, 1, key);
        tokens.token(kept).block(Duration.ofSeconds(5));
        tokens.token(deleted).block(Duration.ofSeconds(5));
        assertThat(tokens.cachedChannels()).isEqualTo(2);

        // The kept channel goes on serving (re-buying as its token ages); the deleted one is never asked again.
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(20));
            tokens.token(kept).block(Duration.ofSeconds(5));
        }

        assertThat(tokens.cachedChannels()).as("channel 2's key and token dropped").isEqualTo(1);
        assertThat(tokens.purchases(2)).isZero();
        assertThat(tokens.purchases(1)).as("channel 1's entry survived, with its purchases").isPositive();
    }

    @Test
    void shouldHoldOneEntryPerChannelWhenItsVersionChanges() {
        VertexTokens tokens = tokens(request -> Mono.just(granted(3600)));
        String first = tokens.token(channel(1, 1, key)).block(Duration.ofSeconds(5));
        String second = tokens.token(channel(1, 2, key)).block(Duration.ofSeconds(5));

        assertThat(second).as("a new version buys its own token").isNotEqualTo(first);
        assertThat(tokens.cachedChannels()).isEqualTo(1);
        assertThat(tokens.purchases(1)).as("the old version's count went with it").isEqualTo(1);
    }

    @Test
    void shouldRefuseWith401WhenTheTokenEndpointRefusesTheAssertion() {
        VertexTokens tokens = tokens(request -> Mono.just(ClientResponse.create(HttpStatus.BAD_REQUEST)
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .body("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}")
                .build()));

        StepVerifier.create(tokens.token(channel(7, 1, key)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(VertexTokens.TokenRefused.class);
                    UpstreamResult.Refused refused = ((VertexTokens.TokenRefused) error).refusal();
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.message()).contains("invalid_grant").contains("channel 7")
                            .doesNotContain("PRIVATE KEY");
                    assertThat(new String(refused.body())).contains("\"status\":\"UNAUTHENTICATED\"");
                })
                .verify(Duration.ofSeconds(5));
        // A refusal is not cached as a token: the next call asks again.
        StepVerifier.create(tokens.token(channel(7, 1, key))).expectError().verify(Duration.ofSeconds(5));
        assertThat(sent).hasSize(2);
    }

    @Test
    void shouldAnswerAServerErrorRefusalWhenTheTokenEndpointIsDown() {
        VertexTokens tokens = tokens(request -> Mono.just(ClientResponse.create(HttpStatus.SERVICE_UNAVAILABLE)
                .body("oops").build()));

        StepVerifier.create(tokens.token(channel(1, 1, key)))
                .expectErrorSatisfies(error -> assertThat(((VertexTokens.TokenRefused) error).refusal().status())
                        .isEqualTo(503))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldBeUnreachableWhenTheTokenEndpointCannotBeConnected() {
        VertexTokens tokens = tokens(request -> Mono.error(new WebClientRequestException(
                new ConnectException("refused"), HttpMethod.POST, request.url(), new HttpHeaders())));

        StepVerifier.create(tokens.token(channel(1, 1, key)))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldTimeOutWhenTheTokenEndpointDoesNotAnswer() {
        VertexTokens tokens = tokens(request -> Mono.never());

        StepVerifier.withVirtualTime(() -> tokens.token(channel(1, 1, key)))
                .expectSubscription()
                .thenAwait(VertexTokens.TOKEN_TIMEOUT)
                .expectError(UpstreamFailure.TimedOut.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldRefuseWith401WithoutCallingAnythingWhenTheKeyIsNoServiceAccount() {
        VertexTokens tokens = tokens(request -> Mono.just(granted(3600)));

        StepVerifier.create(tokens.token(channel(3, 1, "{\"type\":\"service_account\",\"client_email\":\"a@b\"}")))
                .expectErrorSatisfies(error -> {
                    UpstreamResult.Refused refused = ((VertexTokens.TokenRefused) error).refusal();
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.message()).contains("no private_key");
                })
                .verify(Duration.ofSeconds(5));
        assertThat(sent).isEmpty();
    }

    // ---- fixtures ----

    private VertexTokens tokens(Function<ClientRequest, Mono<ClientResponse>> endpoint) {
        WebClient webClient = WebClient.builder()
                .exchangeFunction(request -> {
                    sent.add(request);
                    return endpoint.apply(request);
                })
                .build();
        return new VertexTokens(webClient, clock);
    }

    private ClientResponse granted(long expiresIn) {
        return ClientResponse.create(HttpStatus.OK)
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .body("{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"expires_in\":" + expiresIn
                        + ",\"token_type\":\"Bearer\"}")
                .build();
    }

    static Channel channel(long id, long version, String apiKey) {
        return new Channel(id, "vertex", "gemini", "", apiKey, Map.of("project", "p", "location", "us-central1"),
                Set.of("flash"), Map.of(), Set.of("default"), 0, 1, true, false, false, version);
    }

    /** A service-account JSON key with a fresh RSA key, as Google's console writes it. */
    static String serviceAccountJson(String email, String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(generator.generateKeyPair().getPrivate()
                .getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return dev.tollgate.contracts.json.Json.mapper().writeValueAsString(Map.of("type", "service_account",
                "project_id", "p", "private_key_id", "k1", "private_key", pem, "client_email", email,
                "token_uri", tokenUri));
    }

    private static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
