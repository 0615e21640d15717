package dev.tollgate.relay.api.openai;

import tools.jackson.databind.node.ObjectNode;

/**
 * A multipart audio upload as read: its form fields (a repeated field, such as {@code timestamp_granularities[]},
 * as an array of its values; every other value a string, as the form sent it) and its {@code file} part.
 *
 * @param fields          the fields other than the file
 * @param fileName        the file part's file name, or null when the form had no file part
 * @param fileContentType the file part's content type, or null
 * @param file            the file's bytes (empty when there was none)
 */
public record AudioUpload(ObjectNode fields, String fileName, String fileContentType, byte[] file) {
}
