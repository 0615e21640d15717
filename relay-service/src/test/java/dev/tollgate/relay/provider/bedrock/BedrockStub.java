package dev.tollgate.relay.provider.bedrock;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A Bedrock stand-in on 127.0.0.1: answers Converse with JSON and ConverseStream with event-stream frames, as told
 * per test. Records each request, and whether its connection
 * was closed since.
 */
final class BedrockStub implements AutoCloseable {

    /** One request as the stub received it. */
    record Received(String method, String path, HttpHeaders headers, String body, CompletableFuture<Void> closed) {
    }

    /** What the stub answers. */
    interface Answer {
        Publisher<Void> respond(HttpServerRequest request, HttpServerResponse response);
    }

    private final DisposableServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Answer answer = json("{}");

    BedrockStub() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(this::handle)
                .bindNow();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    void answer(Answer next) {
        this.answer = next;
    }

    List<Received> received() {
        return received;
    }

    void reset() {
        received.clear();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .flatMap(body -> {
                    CompletableFuture<Void> closed = new CompletableFuture<>();
                    request.withConnection(connection -> connection.onDispose(() -> closed.complete(null)));
                    received.add(new Received(request.method().name(), request.uri(), request.requestHeaders().copy(),
                            body, closed));
                    return Mono.from(answer.respond(request, response));
                });
    }

    static Answer json(String body) {
        return (request, response) -> response.status(HttpResponseStatus.OK)
                .header("content-type", "application/json")
                .header("x-amzn-RequestId", "req-123")
                .sendString(Mono.just(body))
                .then();
    }

    /** An AWS JSON error, as Bedrock sends one before any event. */
    static Answer error(int status, String type, String message) {
        return (request, response) -> response.status(status)
                .header("content-type", "application/json")
                .header("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .sendString(Mono.just("{\"message\":\"" + message + "\"}"))
                .then();
    }

    /** The recorded stream's frames, then the end of the response. */
    static Answer stream(List<ConverseJson.Frame> frames) {
        return (request, response) -> streamHeaders(response)
                .sendByteArray(Flux.fromIterable(frames).map(BedrockStub::encode))
                .then();
    }

    /** The frames, then the connection closed without ending the response. */
    static Answer streamThenDrop(List<ConverseJson.Frame> frames) {
        return (request, response) -> streamHeaders(response)
                .sendByteArray(Flux.fromIterable(frames).map(BedrockStub::encode))
                .then()
                .then(Mono.defer(() -> {
                    request.withConnection(connection -> connection.channel().close());
                    return Mono.<Void>never();
                }));
    }

    /** The frames, then nothing more until the client goes away. */
    static Answer streamThenHold(List<ConverseJson.Frame> frames) {
        return (request, response) -> streamHeaders(response)
                .sendByteArray(Flux.fromIterable(frames).map(BedrockStub::encode))
                .then()
                .then(Mono.<Void>never());
    }

    private static HttpServerResponse streamHeaders(HttpServerResponse response) {
        return response.status(HttpResponseStatus.OK)
                .header("content-type", "application/vnd.amazon.eventstream")
                .header("x-amzn-RequestId", "req-456");
    }

    /** A 200 whose first frame is an exception event (Bedrock's way of refusing once a stream has begun). */
    static Answer streamException(String exceptionType, String message) {
        return (request, response) -> streamHeaders(response)
                .sendByteArray(Mono.fromSupplier(() -> exceptionFrame(exceptionType, message)))
                .then();
    }

    private static byte[] exceptionFrame(String exceptionType, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("exception"));
        headers.put(":exception-type", HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        return bytes(new Message(headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] encode(ConverseJson.Frame frame) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("event"));
        headers.put(":event-type", HeaderValue.fromString(frame.event()));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        return bytes(new Message(headers, frame.payload().toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(Message message) {
        ByteBuffer buffer = message.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
