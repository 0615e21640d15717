package dev.tollgate.relay.api.openai;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * An uploaded audio file's format and length in whole seconds (rounded up), from its own headers: WAV
 * ({@link WavDuration}), Ogg Vorbis or Opus ({@link OggDuration}), M4A/MP4 ({@link Mp4Duration}) or MP3
 * ({@link Mp3Duration}); empty for anything else (FLAC, WebM …), whose length is never guessed from the file's size.
 * The formats with a signature at the front are tried first: MP3, which is found by scanning, last. Pure.
 */
public final class AudioDuration {

    /**
     * What the headers told.
     *
     * @param suffix  the file name suffix of the format ({@code wav}, {@code ogg}, {@code m4a}, {@code mp3})
     * @param seconds the length, rounded up
     */
    public record Measured(String suffix, long seconds) {
    }

    private AudioDuration() {
    }

    public static Optional<Measured> measure(byte[] file) {
        return tried(file, "wav", WavDuration::seconds)
                .or(() -> tried(file, "ogg", OggDuration::seconds))
                .or(() -> tried(file, "m4a", Mp4Duration::seconds))
                .or(() -> tried(file, "mp3", Mp3Duration::seconds));
    }

    public static OptionalLong seconds(byte[] file) {
        Optional<Measured> measured = measure(file);
        return measured.isEmpty() ? OptionalLong.empty() : OptionalLong.of(measured.get().seconds());
    }

    private static Optional<Measured> tried(byte[] file, String suffix, Function<byte[], OptionalLong> reader) {
        OptionalLong seconds = reader.apply(file);
        return seconds.isEmpty() ? Optional.empty() : Optional.of(new Measured(suffix, seconds.getAsLong()));
    }
}
