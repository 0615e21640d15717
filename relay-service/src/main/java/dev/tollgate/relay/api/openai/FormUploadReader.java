package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.http.codec.multipart.DefaultPartHttpMessageReader;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code multipart/form-data} upload to one of OpenAI's form endpoints (audio transcriptions, image edits)
 * with Spring's own multipart parser, within the endpoint's {@link Limits}: each file at most
 * {@code maxFileBytes} and all of them together at most {@code maxTotalBytes} (above either a 413), at most
 * {@code maxFiles} files (above it a 400), form fields at most {@value #MAX_FIELD_BYTES} each and
 * {@value #MAX_FIELDS} of them. A file part larger than {@value #MAX_FIELD_BYTES} goes to a temporary file while it
 * is parsed (deleted once read), so the limits are enforced before the whole upload is held.
 */
public final class FormUploadReader {

    static final int MAX_FIELD_BYTES = 64 * 1024;
    static final int MAX_FIELDS = 32;
    /** Multipart boundaries and part headers around the files: a body this much over the limit may still be fine. */
    private static final long ENVELOPE_SLACK = 64 * 1024;
    private static final ResolvableType PART = ResolvableType.forClass(Part.class);

    /**
     * What one endpoint takes.
     *
     * @param fileParts     the form names of its file parts; a file under another name is dropped unread
     * @param maxFiles      files at most
     * @param maxFileBytes  one file's bytes at most
     * @param maxTotalBytes all files' bytes together at most
     * @param what          the files in an error message ("the audio file", "each image")
     */
    public record Limits(Set<String> fileParts, int maxFiles, long maxFileBytes, long maxTotalBytes, String what) {

        public Limits {
            fileParts = Set.copyOf(fileParts);
            if (maxFiles < 1 || maxFileBytes < 1 || maxTotalBytes < maxFileBytes) {
                throw new IllegalArgumentException("upload limits must allow one file: " + maxFiles + " files, "
                        + maxFileBytes + " bytes each, " + maxTotalBytes + " in all");
            }
        }

        /** One file under {@code part}, at most {@code maxBytes}. */
        public static Limits oneFile(String part, long maxBytes, String what) {
            return new Limits(Set.of(part), 1, maxBytes, maxBytes, what);
        }
    }

    private final DefaultPartHttpMessageReader parts;
    private final Limits limits;
    private final UploadMemory memory;

    /** A reader whose uploads count against no shared memory bound (tests). */
    public FormUploadReader(Limits limits) {
        this(limits, null);
    }

    /** @param memory the relay's bound on upload bytes held at once; null for none */
    public FormUploadReader(Limits limits, UploadMemory memory) {
        this.limits = limits;
        this.memory = memory;
        this.parts = new DefaultPartHttpMessageReader();
        parts.setMaxInMemorySize(MAX_FIELD_BYTES);
        parts.setMaxDiskUsagePerPart(limits.maxFileBytes());
        // Dropped file parts count too: room for a few beside the fields.
        parts.setMaxParts(MAX_FIELDS + limits.maxFiles() + 4);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * The exchange's upload, held against the relay's {@link UploadMemory} until the exchange ends; a 503 while
     * other uploads hold too much (the client may retry shortly).
     */
    public Mono<FormUpload> read(ServerWebExchange exchange) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        long room = declared >= 0 ? Math.min(declared, limits.maxTotalBytes() + ENVELOPE_SLACK) : limits.maxTotalBytes();
        if (memory != null && !memory.take(exchange, room)) {
            return Mono.error(Rejection.of(Rejection.Kind.UNAVAILABLE, "The server is busy with other uploads; "
                    + "please retry shortly."));
        }
        return read(exchange.getRequest());
    }

    /** The upload, or a {@link Rejection}: 413 for files over the limits, 400 for a body that is no such form. */
    public Mono<FormUpload> read(ReactiveHttpInputMessage message) {
        MediaType type = message.getHeaders().getContentType();
        if (type == null || !MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
            return Mono.error(Rejection.invalid("Invalid Content-Type header (" + type
                    + "), expected multipart/form-data.", null));
        }
        long declared = message.getHeaders().getContentLength();
        if (declared > limits.maxTotalBytes() + ENVELOPE_SLACK) {
            return Mono.error(limits.maxFiles() == 1 ? fileTooLarge() : totalTooLarge());
        }
        ObjectNode fields = Json.mapper().createObjectNode();
        List<FormUpload.UploadedFile> files = new ArrayList<>();
        long[] total = {0};
        return parts.read(PART, message, Map.of())
                .concatMap(part -> {
                    // A file part may come without a file name (the OpenAI SDK's streams): then Spring's parser
                    // makes it a plain Part, neither file nor field, unless it is text.
                    if (!(part instanceof FormFieldPart) && limits.fileParts().contains(part.name())) {
                        if (files.size() == limits.maxFiles()) {
                            return part.delete().then(Mono.error(Rejection.invalid("Too many files: at most "
                                    + limits.maxFiles() + " may be uploaded.", part.name())));
                        }
                        return readFile(part).flatMap(file -> add(files, file, total)).then();
                    }
                    if (part instanceof FormFieldPart field) {
                        add(fields, field.name(), field.value());
                        return Mono.empty();
                    }
                    // A file part the endpoint does not take: not OpenAI's form; its bytes are dropped.
                    return part.delete();
                })
                .then(Mono.fromSupplier(() -> new FormUpload(fields, files)))
                .onErrorMap(DataBufferLimitException.class, e -> e.getMessage() != null
                        && e.getMessage().startsWith("Form field") ? Rejection.invalid(
                                "A form field exceeds " + MAX_FIELD_BYTES + " bytes.", null) : fileTooLarge())
                .onErrorMap(DecodingException.class,
                        e -> Rejection.invalid("The body is not a readable multipart/form-data upload.", null));
    }

    private Mono<FormUpload.UploadedFile> add(List<FormUpload.UploadedFile> files, FormUpload.UploadedFile file,
            long[] total) {
        total[0] += file.bytes().length;
        if (total[0] > limits.maxTotalBytes()) {
            return Mono.error(totalTooLarge());
        }
        files.add(file);
        return Mono.just(file);
    }

    private Mono<FormUpload.UploadedFile> readFile(Part part) {
        MediaType type = part.headers().getContentType();
        String name = part instanceof FilePart file ? file.filename()
                : part.headers().getContentDisposition().getFilename();
        return DataBufferUtils.join(part.content(), (int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes()))
                .map(FormUploadReader::toBytes)
                .defaultIfEmpty(new byte[0])
                .map(bytes -> new FormUpload.UploadedFile(part.name(), name == null || name.isBlank() ? null : name,
                        type == null ? null : type.toString(), bytes))
                .flatMap(file -> part.delete().thenReturn(file));
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

    private Rejection fileTooLarge() {
        return Rejection.of(Rejection.Kind.REQUEST_TOO_LARGE, "Maximum content size limit (" + limits.maxFileBytes()
                + ") exceeded: " + limits.what() + " must be at most " + limits.maxFileBytes() + " bytes.");
    }

    private Rejection totalTooLarge() {
        return Rejection.of(Rejection.Kind.REQUEST_TOO_LARGE, "Maximum content size limit (" + limits.maxTotalBytes()
                + ") exceeded: the uploaded files must be at most " + limits.maxTotalBytes() + " bytes together.");
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
