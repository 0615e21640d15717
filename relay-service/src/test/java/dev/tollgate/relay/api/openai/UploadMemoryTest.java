package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class UploadMemoryTest {

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/v1/audio/transcriptions"));
    }

    @Test
    void shouldLetOneUploadInHoweverLargeAndRefuseTheNextUntilTheFirstExchangeEnds() {
        UploadMemory memory = new UploadMemory(1_000);
        MockServerWebExchange first = exchange();
        MockServerWebExchange second = exchange();

        assertThat(memory.take(first, 5_000)).as("alone, over the bound").isTrue();
        assertThat(memory.take(second, 10)).isFalse();
        memory.filter(first, exchange -> Mono.empty()).block();
        assertThat(memory.held()).isZero();
        assertThat(memory.take(second, 600)).isTrue();
        assertThat(memory.take(exchange(), 300)).as("600 + 300 within 1000").isTrue();
        assertThat(memory.take(exchange(), 200)).isFalse();
    }

    @Test
    void shouldGiveBackEverythingAnExchangeTookWhenItFailsOrIsCancelled() {
        UploadMemory memory = new UploadMemory(1_000);
        MockServerWebExchange failing = exchange();
        memory.take(failing, 400);
        memory.take(failing, 100);

        memory.filter(failing, exchange -> Mono.error(new IllegalStateException("boom"))).onErrorComplete().block();

        assertThat(memory.held()).isZero();
    }
}
