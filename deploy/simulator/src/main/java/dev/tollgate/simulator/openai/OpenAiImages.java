package dev.tollgate.simulator.openai;

import java.time.Instant;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The body OpenAI's image endpoints (generations, edits) answer with, before any usage. */
final class OpenAiImages {

    /** A 1×1 PNG: the smallest real image an SDK can decode. */
    static final String ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
            + "hKmMIQAAAABJRU5ErkJggg==";

    private OpenAiImages() {
    }

    /**
     * {@code {created, data: [n images]}}, each {@code b64_json} or a URL {@code urlPrefix + i + ".png"}.
     */
    static ObjectNode answer(ObjectMapper json, int n, boolean base64, String urlPrefix) {
        ObjectNode answer = json.createObjectNode();
        answer.put("created", Instant.now().getEpochSecond());
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < n; i++) {
            ObjectNode image = data.addObject();
            if (base64) {
                image.put("b64_json", ONE_PIXEL_PNG);
            } else {
                image.put("url", urlPrefix + i + ".png");
            }
        }
        return answer;
    }
}
