package dev.tollgate.relay.provider.openai;

import dev.tollgate.relay.provider.UpstreamCall;
import java.util.Arrays;
import java.util.Map;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;

/**
 * An upload's upstream form (an audio file, or images and a mask to edit): the client's fields as it sent them (a
 * repeated one repeated), the model renamed to the channel's, and the file parts. In the request tree a form field
 * is a string (or an array of strings), a file part an object (or an array of objects) describing it —
 * {@code part} (its form name, else the tree's key), {@code filename}, {@code content_type}, {@code offset} and
 * {@code bytes} into the raw body, which holds the files' bytes end to end. Always re-encoded rather than passed
 * through as the client's bytes: the model part must change whenever the channel maps the name, one path is
 * simpler to trust than two, and the bytes were parsed (and limited) anyway. Pure.
 */
public final class OpenAiUploadRequestMapper {

    private OpenAiUploadRequestMapper() {
    }

    public static MultiValueMap<String, HttpEntity<?>> createRequest(UpstreamCall call, String model) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        boolean modelSent = false;
        for (Map.Entry<String, JsonNode> field : call.request().properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if ("model".equals(name)) {
                form.part(name, model);
                modelSent = true;
            } else if (value.isArray()) {
                value.forEach(item -> add(form, name, item, call.rawBody()));
            } else {
                add(form, name, value, call.rawBody());
            }
        }
        if (!modelSent && model != null && !model.equals(call.askedModel())) {
            // The client left the model to the upstream's default; a name the channel maps to must still be sent.
            form.part("model", model);
        }
        return form.build();
    }

    private static void add(MultipartBodyBuilder form, String name, JsonNode value, byte[] raw) {
        if (value.isObject()) {
            addFile(form, name, value, raw);
        } else {
            form.part(name, value.asString());
        }
    }

    private static void addFile(MultipartBodyBuilder form, String name, JsonNode file, byte[] raw) {
        String part = file.path("part").asString(name);
        String fileName = file.path("filename").asString(name);
        String type = file.path("content_type").isString() ? file.path("content_type").asString() : null;
        int offset = file.path("offset").asInt(0);
        int length = file.path("bytes").asInt(raw.length - offset);
        byte[] bytes = offset == 0 && length == raw.length ? raw : Arrays.copyOfRange(raw, offset, offset + length);
        form.part(part, new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return fileName;
            }
        }).filename(fileName).contentType(type == null ? MediaType.APPLICATION_OCTET_STREAM
                : MediaType.parseMediaType(type));
    }
}
