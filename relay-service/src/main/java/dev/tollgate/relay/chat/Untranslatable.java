package dev.tollgate.relay.chat;

/**
 * The caller asked for something the upstream's dialect cannot express (a setting, a content type, a
 * combination). Thrown by parsers and mappers; the inbound dialect answers it as its own 400 naming
 * {@link #param()}: a clear refusal, never a silent drop.
 */
public final class Untranslatable extends RuntimeException {

    private final String param;

    public Untranslatable(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    /** The request field at fault (e.g. {@code n}, {@code messages[2].content[0]}), or null. */
    public String param() {
        return param;
    }
}
