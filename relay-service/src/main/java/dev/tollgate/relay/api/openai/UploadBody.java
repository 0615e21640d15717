package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * An upload's files as one checked request carries them on: each described in the tree ({@code part},
 * {@code filename}, {@code content_type}, {@code offset}, {@code bytes}), their bytes end to end in the raw body —
 * the form the provider's upload mapper reads back. Not thread-safe; one per request.
 */
final class UploadBody {

    private final List<byte[]> chunks = new ArrayList<>();
    private long length;

    /** Appends the file's bytes and returns its description. */
    ObjectNode describe(FormUpload.UploadedFile file) {
        ObjectNode description = Json.mapper().createObjectNode();
        description.put("part", file.part());
        description.put("filename", file.fileName());
        description.put("content_type", file.contentType());
        description.put("offset", length);
        description.put("bytes", file.bytes().length);
        chunks.add(file.bytes());
        length += file.bytes().length;
        return description;
    }

    /** The files' bytes end to end (the one file's own array when there is one). */
    byte[] raw() {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] raw = new byte[Math.toIntExact(length)];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, raw, at, chunk.length);
            at += chunk.length;
        }
        return raw;
    }
}
