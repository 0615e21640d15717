package dev.tollgate.simulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** Small response helpers shared by the control endpoints and the provider handlers. */
public final class SimulatorHttp {

    private SimulatorHttp() {
    }

    /** Writes a complete JSON body with its Content-Length, so clients see a normal non-chunked response. */
    public static Mono<Void> sendJson(HttpServerResponse response, int status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return response.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then();
    }
}
