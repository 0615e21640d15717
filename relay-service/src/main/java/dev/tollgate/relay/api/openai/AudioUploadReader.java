package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.multipart.DefaultPartHttpMessageReader;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code multipart/form-data} audio upload with Spring's own multipart parser, within limits: the file at
 * most {@code maxFileBytes} (OpenAI's 25 MB by default; above it a 413), form fields at most {@value #MAX_FIELD_BYTES}
 * each, {@value #MAX_PARTS} parts. A file part larger than {@value #MAX_FIELD_BYTES} goes to a temporary file while
 * it is parsed (deleted once read), so the limit is enforced before the whole upload is held.
 */
public final class AudioUploadReader {

    static final int MAX_FIELD_BYTES = 64 * 1024;
    static final int MAX_PARTS = 32;
    /** Multipart boundaries and part headers around the file: a body this much over the limit may still be fine. */
    private static final long ENVELOPE_SLACK = 64 * 1024;
    private static final ResolvableType PART = ResolvableType.forClass(Part.class);

    private final DefaultPartHttpMessageReader parts;
    private final long maxFileBytes;

    public AudioUploadReader(long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
        this.parts = new DefaultPartHttpMessageReader();
        parts.setMaxInMemorySize(MAX_FIELD_BYTES);
        parts.setMaxDiskUsagePerPart(maxFileBytes);
        parts.setMaxParts(MAX_PARTS);
    }

    /** The upload, or a {@link Rejection}: 413 for a file over the limit, 400 for a body that is no such form. */
    public Mono<AudioUpload> read(ReactiveHttpInputMessage message) {
        MediaType type = message.getHeaders().getContentType();
        if (type == null || !MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
            return Mono.error(Rejection.invalid("Invalid Content-Type header (" + type
                    + "), expected multipart/form-data.", null));
        }
        long declared = message.getHeaders().getContentLength();
        if (declared > maxFileBytes + ENVELOPE_SLACK) {
            return Mono.error(tooLarge());
        }
        ObjectNode fields = Json.mapper().createObjectNode();
        AudioUpload[] file = {new AudioUpload(fields, null, null, new byte[0])};
        return parts.read(PART, message, Map.of())
                .concatMap(part -> {
                    if (part instanceof FilePart filePart && "file".equals(part.name())) {
                        return readFile(filePart).doOnNext(upload -> file[0] = upload).then();
                    }
                    if (part instanceof FormFieldPart field) {
                        add(fields, field.name(), field.value());
                        return Mono.empty();
                    }
                    // Another file part than "file": not OpenAI's form; its bytes are dropped.
                    return part.delete();
                })
                .then(Mono.fromSupplier(() -> new AudioUpload(fields, file[0].fileName(), file[0].fileContentType(),
                        file[0].file())))
                .onErrorMap(DataBufferLimitException.class, e -> e.getMessage() != null
                        && e.getMessage().startsWith("Form field") ? Rejection.invalid(
                                "A form field exceeds " + MAX_FIELD_BYTES + " bytes.", null) : tooLarge())
                .onErrorMap(DecodingException.class,
                        e -> Rejection.invalid("The body is not a readable multipart/form-data upload.", null));
    }

    private Mono<AudioUpload> readFile(FilePart part) {
        MediaType type = part.headers().getContentType();
        return DataBufferUtils.join(part.content(), (int) Math.min(Integer.MAX_VALUE, maxFileBytes))
                .map(AudioUploadReader::toBytes)
                .defaultIfEmpty(new byte[0])
                .map(bytes -> new AudioUpload(null, part.filename(), type == null ? null : type.toString(), bytes))
                .flatMap(upload -> part.delete().thenReturn(upload));
    }

    /** A repeated field becomes an array of its values, in order. */
    private static void add(ObjectNode fields, String name, String value) {
        JsonNode present = fields.get(name);
        if (present == null) {
            fields.put(name, value);
        } else if (present instanceof ArrayNode values) {
            values.add(value);
        } else {
            fields.putArray(name).add(present.asString()).add(value);
        }
    }

    private Rejection tooLarge() {
        return Rejection.of(Rejection.Kind.REQUEST_TOO_LARGE, "Maximum content size limit (" + maxFileBytes
                + ") exceeded: the audio file must be at most " + maxFileBytes + " bytes.");
    }

    private static byte[] toBytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
