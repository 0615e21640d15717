package dev.tollgate.relay.provider.openai;

import dev.tollgate.relay.provider.UpstreamCall;
import java.util.Map;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;

/**
 * An audio upload's upstream form: the client's fields as it sent them (a repeated one repeated), the model renamed
 * to the channel's, and the file part. Always re-encoded rather than passed through as the client's bytes: the
 * model part must change whenever the channel maps the name, one path is simpler to trust than two, and the
 * bytes were parsed (and limited) anyway. Pure.
 */
public final class OpenAiAudioRequestMapper {

    /** The request tree's description of the file (see the transcriptions dialect), not a field to send. */
    static final String FILE = "file";

    private OpenAiAudioRequestMapper() {
    }

    public static MultiValueMap<String, HttpEntity<?>> createRequest(UpstreamCall call, String model) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        for (Map.Entry<String, JsonNode> field : call.request().properties()) {
            String name = field.getKey();
            if (FILE.equals(name)) {
                continue;
            }
            if ("model".equals(name)) {
                form.part(name, model);
            } else if (field.getValue().isArray()) {
                field.getValue().forEach(value -> form.part(name, value.asString()));
            } else {
                form.part(name, field.getValue().asString());
            }
        }
        JsonNode file = call.request().path(FILE);
        String fileName = file.path("filename").asString("audio");
        String type = file.path("content_type").isString() ? file.path("content_type").asString() : null;
        byte[] bytes = call.rawBody();
        form.part(FILE, new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return fileName;
            }
        }).filename(fileName).contentType(type == null ? MediaType.APPLICATION_OCTET_STREAM
                : MediaType.parseMediaType(type));
        return form.build();
    }
}
