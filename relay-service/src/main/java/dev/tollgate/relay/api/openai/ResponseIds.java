package dev.tollgate.relay.api.openai;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ids of stored responses as the relay shows them. A response lives in the upstream account of the channel that
 * made it, and any relay may get the follow-up, so the id a client sees names that channel and the user it was made
 * for: {@code resp_abc} from channel 12 for user 34 is shown as {@code resp_tg12u34_abc}, and read back to
 * {@code resp_abc} on channel 12. The prefix (everything up to the first {@code _}) is kept, so the id still reads
 * as OpenAI's. Not a secret: the upstream's own id is unguessable, and a user can only name their own. Pure.
 */
public final class ResponseIds {

    /** An id as shown: the upstream's prefix, {@code tg<channel>u<user>_}, the rest of the upstream's id. */
    private static final Pattern SHOWN = Pattern.compile("^([A-Za-z]+_)?tg(\\d{1,19})u(\\d{1,19})_(.+)$");
    private static final Pattern PREFIXED = Pattern.compile("^([A-Za-z]+_)(.+)$");

    /** A shown id read back: where the response lives, whose it is, and the id the upstream knows. */
    public record Decoded(String upstreamId, long channelId, long userId) {
    }

    private ResponseIds() {
    }

    /** The id to show for {@code upstreamId}, made on {@code channelId} for {@code userId}. */
    public static String encode(String upstreamId, long channelId, long userId) {
        String tag = "tg" + channelId + "u" + userId + "_";
        Matcher prefixed = PREFIXED.matcher(upstreamId);
        return prefixed.matches() ? prefixed.group(1) + tag + prefixed.group(2) : tag + upstreamId;
    }

    /** A shown id read back; empty for anything the relay did not make (or that does not fit in a long). */
    public static Optional<Decoded> decode(String shown) {
        if (shown == null) {
            return Optional.empty();
        }
        Matcher matcher = SHOWN.matcher(shown);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            String prefix = matcher.group(1) == null ? "" : matcher.group(1);
            return Optional.of(new Decoded(prefix + matcher.group(4), Long.parseLong(matcher.group(2)),
                    Long.parseLong(matcher.group(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
