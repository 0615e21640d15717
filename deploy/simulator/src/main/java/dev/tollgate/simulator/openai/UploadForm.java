package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A multipart/form-data upload as the simulator reads it: a JSON summary of the form (fields by name, a repeated
 * one as an array; each file part as {@code {filename, content_type, bytes}}, a repeated one as an array) — what is
 * recorded — and the files' bytes by part name, kept aside since the parts are released once read.
 */
final class UploadForm {

    private static final long MAX_UPLOAD = 64L * 1024 * 1024;

    final ObjectNode summary;
    final Map<String, List<byte[]>> files = new LinkedHashMap<>();

    private UploadForm(ObjectNode summary) {
        this.summary = summary;
    }

    static Mono<UploadForm> read(HttpServerRequest request, ObjectMapper json) {
        UploadForm form = new UploadForm(json.createObjectNode());
        return request.receiveForm(builder -> builder.maxInMemorySize(-1).maxSize(MAX_UPLOAD))
                .doOnNext(form::add)
                .then(Mono.just(form));
    }

    /**
     * Reads a multipart upload, records its summary and serves it with {@code answer}; a request that is no
     * multipart form gets OpenAI's 400 for the Content-Type, after its body is recorded.
     */
    static Mono<Void> serve(SimulatorState state, HttpServerRequest request, HttpServerResponse response,
            ObjectMapper json, BiFunction<ChatExchange, UploadForm, Mono<Void>> answer) {
        if (!request.isMultipart()) {
            return ChatExchange.receive(state, request).flatMap(ignored -> OpenAiErrors.badRequest(json, response,
                    "Invalid Content-Type header, expected multipart/form-data.", null));
        }
        return read(request, json)
                .flatMap(form -> {
                    String summary = json.writeValueAsString(form.summary);
                    state.record(request, summary);
                    return ChatExchange.serve(state, request, response, summary,
                            exchange -> answer.apply(exchange, form));
                });
    }

    /** The first file sent under {@code part}, or null. */
    byte[] file(String part) {
        List<byte[]> sent = files.get(part);
        return sent == null || sent.isEmpty() ? null : sent.get(0);
    }

    private void add(HttpData data) {
        try {
            if (data instanceof FileUpload upload) {
                byte[] bytes = upload.get();
                files.computeIfAbsent(upload.getName(), name -> new ArrayList<>()).add(bytes);
                ObjectNode file = summary.objectNode()
                        .put("filename", upload.getFilename())
                        .put("content_type", upload.getContentType())
                        .put("bytes", bytes.length);
                put(upload.getName(), file);
            } else if (data instanceof Attribute attribute) {
                put(attribute.getName(), summary.stringNode(attribute.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(String name, JsonNode value) {
        JsonNode present = summary.get(name);
        if (present == null) {
            summary.set(name, value);
        } else if (present instanceof ArrayNode values) {
            values.add(value);
        } else {
            summary.putArray(name).add(present).add(value);
        }
    }
}
