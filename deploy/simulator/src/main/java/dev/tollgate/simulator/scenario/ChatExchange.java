package dev.tollgate.simulator.scenario;

import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.SimulatorState;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One chat request's life, the same in every dialect: counted on arrival, answered after {@code latencyMs},
 * ended exactly once (completed, failed, cancelled when the client goes away, or rejected).
 * The dialect handler supplies only the answer.
 */
public final class ChatExchange {

    /** Per-request fault injection: {@code x-sim-fail: 503} fails that one request with 503. */
    public static final String FAIL_HEADER = "x-sim-fail";

    private final SimulatorState state;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final SimulatorConfig config;
    private final SimulatorState.Call call;
    private final String body;

    private ChatExchange(SimulatorState state, HttpServerRequest request, HttpServerResponse response,
                         SimulatorConfig config, SimulatorState.Call call, String body) {
        this.state = state;
        this.request = request;
        this.response = response;
        this.config = config;
        this.call = call;
        this.body = body;
    }

    /** Reads and records the body of any provider request (chat or not). */
    public static Mono<String> receive(SimulatorState state, HttpServerRequest request) {
        return request.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .doOnNext(body -> state.record(request, body));
    }

    /** Reads, records and counts a chat request, then runs {@code reply} after the configured latency. */
    public static Mono<Void> serve(SimulatorState state, HttpServerRequest request, HttpServerResponse response,
                                   Function<ChatExchange, Mono<Void>> reply) {
        return receive(state, request).flatMap(body -> serve(state, request, response, body, reply));
    }

    /**
     * Counts a request whose body was read (and recorded) by its handler — a multipart upload, recorded as a JSON
     * summary — then runs {@code reply} after the configured latency.
     */
    public static Mono<Void> serve(SimulatorState state, HttpServerRequest request, HttpServerResponse response,
                                    String body, Function<ChatExchange, Mono<Void>> reply) {
        SimulatorConfig config = state.config();
        SimulatorState.Call call = state.begin(body, request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        ChatExchange exchange = new ChatExchange(state, request, response, config, call, body);
        // Backstop for a client that vanishes while nothing is being written (e.g. during latencyMs);
        // removed at the end so keep-alive connections do not collect one listener per request.
        ChannelFutureListener onClose = future -> call.cancelled();
        request.withConnection(connection -> connection.channel().closeFuture().addListener(onClose));
        Mono<Void> answer = Mono.defer(() -> reply.apply(exchange));
        if (config.latencyMs() > 0) {
            answer = Mono.delay(Duration.ofMillis(config.latencyMs())).then(answer);
        }
        return answer.doFinally(signal -> {
            if (signal != SignalType.ON_COMPLETE) {
                // The write failed or the server cancelled our publisher: the peer went away before the end.
                call.cancelled();
            }
            request.withConnection(connection -> connection.channel().closeFuture().removeListener(onClose));
        });
    }

    /**
     * The status this request must fail with, or null: the {@link #FAIL_HEADER} value, else the config's
     * failStatus while its failTimes last. Ask once per request, where the real API would fail it.
     */
    public Integer injectedFailure() {
        return state.injectedFailure(request.requestHeaders().get(FAIL_HEADER), config);
    }

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return response;
    }

    /** The config as it was when the request arrived. */
    public SimulatorConfig config() {
        return config;
    }

    public SimulatorState.Call call() {
        return call;
    }

    public String body() {
        return body;
    }

    public String header(String name) {
        return request.requestHeaders().get(name);
    }
}
