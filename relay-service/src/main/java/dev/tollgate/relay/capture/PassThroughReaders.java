package dev.tollgate.relay.capture;

import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.anthropic.AnthropicStreamTranslator;
import dev.tollgate.relay.provider.gemini.GeminiStreamTranslator;
import dev.tollgate.relay.provider.openai.OpenAiChatStreamTranslator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How each inbound dialect's pass-through stream is read back: by the same translator that reads a stream of that
 * dialect from an upstream (a pass-through stream is the upstream's own, as the client gets it). OpenAI: choice 0.
 */
public final class PassThroughReaders {

    private PassThroughReaders() {
    }

    /** The readers of the dialects that have one; the others keep the streamed text only. */
    public static Map<Dialect, Supplier<PassThroughReader>> all() {
        return Map.of(Dialect.OPENAI, PassThroughReaders::openAi, Dialect.ANTHROPIC, PassThroughReaders::anthropic,
                Dialect.GEMINI, PassThroughReaders::gemini);
    }

    static PassThroughReader openAi() {
        OpenAiChatStreamTranslator translator = new OpenAiChatStreamTranslator();
        return step -> translator.next(step.data());
    }

    /** Gemini's chunks carry the model they came from; none is needed to read them back. */
    static PassThroughReader gemini() {
        GeminiStreamTranslator translator = new GeminiStreamTranslator(null);
        return step -> translator.toChatEvents(step.data());
    }

    static PassThroughReader anthropic() {
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        return step -> translator.toChatEvents(step.event(), step.data());
    }
}
