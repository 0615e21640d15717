package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's {@code POST /v1/images/edits} (multipart/form-data: {@code image} once, repeated or as {@code image[]},
 * optional {@code mask}, {@code prompt}, {@code model}, {@code n} …): {@code n} images as URLs or {@code b64_json}
 * (a 1×1 PNG). GPT Image models answer in base64 and report {@code usage} as OpenAI's do: the prompt's text tokens
 * (the config's {@code promptTokens}, else one per 4 characters) plus {@value #IMAGE_TOKENS} image tokens per input
 * image as {@code input_tokens}, and 272 output tokens per image (or the config's {@code completionTokens}). Recorded
 * as a JSON summary of the form (see {@link UploadForm}); Azure's deployment path answers here too, with the
 * deployment as the model when the form names none.
 */
public final class OpenAiImageEditsHandler {

    /** Input tokens each uploaded image counts for (gpt-image-1 at low input fidelity, about one 512 px tile). */
    static final long IMAGE_TOKENS = 194;

    private final SimulatorState state;
    private final ObjectMapper json;

    public OpenAiImageEditsHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/v1/images/edits", (request, response) -> edit(request, response, null));
    }

    /** @param deployment an Azure deployment answering when the form names no model, else null */
    public Publisher<Void> edit(HttpServerRequest request, HttpServerResponse response, String deployment) {
        return UploadForm.serve(state, request, response, json, (exchange, form) -> answer(exchange, form, deployment));
    }

    private Mono<Void> answer(ChatExchange exchange, UploadForm form, String deployment) {
        // Counted from the summary: a part sent without a file name (the SDKs' streams) reads as a field here.
        int images = count(form.summary.get("image")) + count(form.summary.get("image[]"));
        if (images == 0) {
            exchange.call().rejected();
            return OpenAiErrors.badRequest(json, exchange.response(), "Missing required parameter: 'image'.", "image");
        }
        if (!form.summary.path("prompt").isString()) {
            exchange.call().rejected();
            return OpenAiErrors.badRequest(json, exchange.response(), "Missing required parameter: 'prompt'.",
                    "prompt");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus, OpenAiErrors.json(json, "simulated failure",
                    "server_error", null, null));
        }
        String model = form.summary.path("model").asString(deployment == null ? "dall-e-2" : deployment);
        boolean gptImage = model.startsWith("gpt-image") || deployment != null && !model.startsWith("dall-e");
        boolean base64 = gptImage || "b64_json".equals(form.summary.path("response_format").asString(""));
        int n = Integer.parseInt(form.summary.path("n").asString("1"));
        ObjectNode answer = OpenAiImages.answer(json, n, base64, "https://simulator.invalid/images/edit-");
        if (gptImage) {
            long text = exchange.config().promptTokens() != null ? exchange.config().promptTokens()
                    : Math.max(1, (form.summary.path("prompt").asString().length() + 3) / 4);
            long imageTokens = IMAGE_TOKENS * images;
            long output = exchange.config().completionTokens() != null ? exchange.config().completionTokens()
                    : 272L * n;
            ObjectNode usage = answer.putObject("usage");
            usage.put("total_tokens", text + imageTokens + output);
            usage.put("input_tokens", text + imageTokens);
            usage.put("output_tokens", output);
            usage.putObject("input_tokens_details").put("text_tokens", text).put("image_tokens", imageTokens);
        }
        exchange.call().completed();
        return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(answer));
    }

    private static int count(JsonNode parts) {
        return parts == null ? 0 : parts.isArray() ? parts.size() : 1;
    }
}
