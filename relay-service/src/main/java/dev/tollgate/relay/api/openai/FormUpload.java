package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.Rejection;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A multipart upload to one of OpenAI's form endpoints as read: its form fields (a repeated field, such as
 * {@code timestamp_granularities[]}, as an array of its values; every other value a string, as the form sent it)
 * and its file parts, in the order they came.
 *
 * @param fields the fields other than the files
 * @param files  the file parts the endpoint takes (others are dropped while reading)
 */
public record FormUpload(ObjectNode fields, List<UploadedFile> files) {

    public FormUpload {
        files = List.copyOf(files);
    }

    /**
     * One file part.
     *
     * @param part        the form name it came under ({@code file}, {@code image}, {@code image[]}, {@code mask})
     * @param fileName    its file name, or null when the part named none
     * @param contentType its declared content type, or null
     * @param bytes       its bytes
     */
    public record UploadedFile(String part, String fileName, String contentType, byte[] bytes) {
    }

    /** The files sent under any of these part names, in order. */
    public List<UploadedFile> files(Set<String> parts) {
        return files.stream().filter(file -> parts.contains(file.part())).toList();
    }

    /** The first file sent under this part name, or null. */
    public UploadedFile file(String part) {
        return files.stream().filter(file -> file.part().equals(part)).findFirst().orElse(null);
    }

    /** A field sent once, or null; sent several times, a 400. */
    static String single(ObjectNode fields, String name) {
        JsonNode value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw Rejection.invalid("Invalid '" + name + "': expected a single value.", name);
        }
        return value.asString();
    }
}
