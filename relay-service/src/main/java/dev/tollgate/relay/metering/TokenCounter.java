package dev.tollgate.relay.metering;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Counts tokens locally (o200k_base) for admission estimates and for streams that end without a usage report. */
public final class TokenCounter {

    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private TokenCounter() {
    }

    public static long count(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return O200K.countTokensOrdinary(text.toString());
    }
}
