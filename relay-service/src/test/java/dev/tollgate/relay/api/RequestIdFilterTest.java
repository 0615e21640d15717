package dev.tollgate.relay.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class RequestIdFilterTest {

    private final RequestIdFilter filter = new RequestIdFilter();

    @Test
    void shouldAddAnIdWhenNoHandlerSetOne() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/chat/completions"));
        filter.filter(exchange, ex -> {
            ex.getResponse().setStatusCode(HttpStatus.METHOD_NOT_ALLOWED);
            return ex.getResponse().setComplete();
        }).block();
        assertThat(exchange.getResponse().getHeaders().getFirst("x-request-id")).matches("[0-9a-f-]{36}");
    }

    @Test
    void shouldKeepTheHandlersIdWhenOneIsSet() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("x-request-id", "from-handler");
        RequestIdFilter.ensureId(headers);
        assertThat(headers.getFirst("x-request-id")).isEqualTo("from-handler");

        HttpHeaders anthropic = new HttpHeaders();
        anthropic.set("request-id", "anthropic-id");
        RequestIdFilter.ensureId(anthropic);
        assertThat(anthropic.getFirst("x-request-id")).isEqualTo("anthropic-id");
    }

    @Test
    void shouldLeaveOtherPathsAloneWhenTheyAreNotTheApi() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/actuator/health"));
        filter.filter(exchange, ex -> ex.getResponse().setComplete()).block();
        assertThat(exchange.getResponse().getHeaders().getFirst("x-request-id")).isNull();
    }
}
