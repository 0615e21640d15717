package dev.tollgate.relay.chat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A tool call's id with the upstream's signature of the call folded in, for dialects that have nowhere else to carry
 * it (OpenAI {@code tool_calls[].id}, Anthropic {@code tool_use.id}): {@code <id>__thought__<signature, base64url>}.
 * Clients send ids back unchanged, so the signature returns with the call and with its result. Base64url keeps the id
 * within Anthropic's {@code ^[a-zA-Z0-9_-]+$}; the marker is LiteLLM's, so ids it made decode here too when their
 * signature part is base64url. Pure.
 */
public final class ToolCallIds {

    static final String MARKER = "__thought__";

    /** An id as a client sent it: the plain id, and the signature it carried (null when none). */
    public record Decoded(String id, String signature) {
    }

    private ToolCallIds() {
    }

    /** The id with the signature folded in; the id itself when there is no signature (or no id). */
    public static String encode(String id, String signature) {
        if (id == null || id.isEmpty() || signature == null || signature.isEmpty()) {
            return id;
        }
        return id + MARKER + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signature.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The plain id and signature of an id {@link #encode} made. Any other id (no marker, nothing before it, or no
     * base64url after it) is returned whole with no signature: a client's own id is never mangled.
     */
    public static Decoded decode(String clientId) {
        if (clientId == null) {
            return new Decoded(null, null);
        }
        int at = clientId.lastIndexOf(MARKER);
        if (at <= 0) {
            return new Decoded(clientId, null);
        }
        String encoded = clientId.substring(at + MARKER.length());
        if (encoded.isEmpty()) {
            return new Decoded(clientId, null);
        }
        try {
            // Strict: bytes that are not UTF-8 were not made by encode.
            String signature = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(encoded)))
                    .toString();
            return new Decoded(clientId.substring(0, at), signature);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return new Decoded(clientId, null);
        }
    }

    /** The plain id of a client's id (the signature dropped). */
    public static String plainId(String clientId) {
        return decode(clientId).id();
    }
}
