package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's audio endpoints: {@code POST /v1/audio/transcriptions} and {@code /translations} (multipart/form-data;
 * answering {@code json}, {@code text}, {@code srt}, {@code vtt} or {@code verbose_json} with the {@code duration}
 * the uploaded WAV's header states, else {@value #FIXED_SECONDS} s; {@code gpt-4o*} models report token
 * {@code usage} in json, as OpenAI's do) and {@code POST /v1/audio/speech} (JSON in; {@value #SPEECH_BYTES} bytes
 * of {@code audio/mpeg} out, in several chunks). An upload is recorded as a JSON summary of its form: the fields,
 * and {@code file} as {@code {filename, content_type, bytes}}.
 */
public final class OpenAiAudioHandler {

    static final double FIXED_SECONDS = 3.0;
    static final int SPEECH_BYTES = 4096;
    private static final int SPEECH_CHUNKS = 4;
    static final String TRANSCRIPT = "The quick brown fox jumps over the lazy dog.";

    private final SimulatorState state;
    private final ObjectMapper json;

    public OpenAiAudioHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/v1/audio/transcriptions", (request, response) -> upload(request, response, false))
                .post("/v1/audio/translations", (request, response) -> upload(request, response, true))
                .post("/v1/audio/speech", this::speech);
    }

    /** A transcription (or translation) upload, answered as OpenAI does; Azure's deployment paths answer here too. */
    public Publisher<Void> upload(HttpServerRequest request, HttpServerResponse response, boolean translation) {
        return UploadForm.serve(state, request, response, json,
                (exchange, form) -> transcribe(exchange, form.summary, form.file("file"), translation));
    }

    private Mono<Void> transcribe(ChatExchange exchange, ObjectNode form, byte[] file, boolean translation) {
        HttpServerResponse response = exchange.response();
        if (file == null || file.length == 0) {
            exchange.call().rejected();
            return OpenAiErrors.badRequest(json, response, "Missing required parameter: 'file'.", "file");
        }
        if (!form.path("model").isString()) {
            exchange.call().rejected();
            return OpenAiErrors.badRequest(json, response, "Missing required parameter: 'model'.", "model");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(response, failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, null));
        }
        String model = form.path("model").asString();
        double seconds = wavSeconds(file);
        if (seconds < 0) {
            seconds = FIXED_SECONDS;
        }
        String format = form.path("response_format").asString("json");
        exchange.call().completed();
        switch (format) {
            case "text":
                return sendText(response, "text/plain; charset=utf-8", TRANSCRIPT + "\n");
            case "srt":
                return sendText(response, "text/plain; charset=utf-8",
                        "1\n00:00:00,000 --> " + srtTime(seconds, ',') + "\n" + TRANSCRIPT + "\n\n");
            case "vtt":
                return sendText(response, "text/plain; charset=utf-8",
                        "WEBVTT\n\n00:00:00.000 --> " + srtTime(seconds, '.') + "\n" + TRANSCRIPT + "\n\n");
            case "verbose_json": {
                ObjectNode answer = json.createObjectNode();
                answer.put("task", translation ? "translate" : "transcribe");
                answer.put("language", translation ? "english" : form.path("language").asString("english"));
                answer.put("duration", seconds);
                answer.put("text", TRANSCRIPT);
                ObjectNode segment = answer.putArray("segments").addObject();
                segment.put("id", 0).put("start", 0.0).put("end", seconds).put("text", TRANSCRIPT);
                return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(answer));
            }
            default: {
                ObjectNode answer = json.createObjectNode();
                answer.put("text", TRANSCRIPT);
                if (model.toLowerCase(Locale.ROOT).startsWith("gpt-4o")) {
                    // gpt-4o-transcribe's json: tokens, the audio counted among the input (10 per second).
                    long audio = (long) Math.ceil(seconds * 10);
                    long prompt = form.path("prompt").isString() ? (form.path("prompt").asString().length() + 3) / 4
                            : 0;
                    long output = (TRANSCRIPT.length() + 3) / 4;
                    ObjectNode usage = answer.putObject("usage");
                    usage.put("type", "tokens");
                    usage.put("input_tokens", audio + prompt);
                    usage.putObject("input_token_details").put("text_tokens", prompt).put("audio_tokens", audio);
                    usage.put("output_tokens", output);
                    usage.put("total_tokens", audio + prompt + output);
                }
                return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(answer));
            }
        }
    }

    private Publisher<Void> speech(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, this::speech);
    }

    /** A few KB of deterministic bytes (an MP3 frame header at the front), sent in several chunks. */
    private Mono<Void> speech(ChatExchange exchange) {
        JsonNode body;
        try {
            body = json.readTree(exchange.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null || !body.path("model").isString() || !body.path("input").isString()) {
            exchange.call().rejected();
            return OpenAiErrors.badRequest(json, exchange.response(),
                    "The request must be a JSON object with a model and an input.", "input");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, null));
        }
        String format = body.path("response_format").asString("mp3");
        String type = switch (format) {
            case "wav" -> "audio/wav";
            case "opus" -> "audio/opus";
            case "aac" -> "audio/aac";
            case "flac" -> "audio/flac";
            case "pcm" -> "audio/pcm";
            default -> "audio/mpeg";
        };
        byte[] audio = new byte[SPEECH_BYTES];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) (i * 31 + 7);
        }
        audio[0] = (byte) 0xFF;
        audio[1] = (byte) 0xFB;
        int chunk = SPEECH_BYTES / SPEECH_CHUNKS;
        exchange.call().completed();
        return exchange.response().status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, type)
                .send(Flux.range(0, SPEECH_CHUNKS).map(i -> Unpooled.wrappedBuffer(audio, i * chunk, chunk)))
                .then();
    }

    /** A WAV header's length in seconds, or -1 when the bytes are no WAV. */
    static double wavSeconds(byte[] file) {
        if (file.length < 12) {
            return -1;
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (!"RIFF".equals(ascii(file, 0)) || !"WAVE".equals(ascii(file, 8))) {
            return -1;
        }
        long byteRate = 0;
        int at = 12;
        while (at + 8 <= file.length) {
            String id = ascii(file, at);
            long size = Integer.toUnsignedLong(in.getInt(at + 4));
            if ("fmt ".equals(id) && at + 20 <= file.length) {
                byteRate = Integer.toUnsignedLong(in.getInt(at + 16));
            } else if ("data".equals(id)) {
                long data = Math.min(size, file.length - at - 8L);
                return byteRate == 0 ? -1 : (double) data / byteRate;
            }
            at += (int) (8 + size + (size & 1));
        }
        return -1;
    }

    private static String ascii(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.US_ASCII);
    }

    private static String srtTime(double seconds, char comma) {
        long millis = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, comma, millis % 1000);
    }

    private static Mono<Void> sendText(HttpServerResponse response, String type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return response.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, type)
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then();
    }
}
