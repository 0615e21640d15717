package dev.tollgate.relay.admission;

import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.PriceEntry;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Lets a request through only when the user's view (balance − this relay's pending charges) and the key's
 * quota view cover its estimate, and reserves the estimate until the request ends.
 */
public class AdmissionGate {

    /** The reserved model name of the default price. */
    public static final String DEFAULT_PRICE_MODEL = "*";
    static final String QUOTA_MESSAGE =
            "You exceeded your current quota, please check your plan and billing details.";

    private final RelaySnapshot snapshot;
    private final PendingCharges pending;
    private final BooleanSupplier usageBlocked;

    /**
     * @param usageBlocked true while usage cannot be recorded (the spool is full): new requests are refused
     *                     rather than served unmetered
     */
    public AdmissionGate(RelaySnapshot snapshot, PendingCharges pending, BooleanSupplier usageBlocked) {
        this.snapshot = snapshot;
        this.pending = pending;
        this.usageBlocked = usageBlocked;
    }

    /**
     * @param choices how many answers the request asks for (OpenAI's {@code n})
     * @throws Rejection USAGE_SPOOL_FULL while usage cannot be recorded; MODEL_NOT_PRICED for a model with neither
     *                   a price nor a default price; INSUFFICIENT_QUOTA when the balance or the key's quota does not
     *                   cover the estimate
     */
    public Admission admit(Principal principal, String model, long promptTokens, Long maxTokens, int choices) {
        return admit(principal, model, promptTokens, maxTokens, choices, 0);
    }

    /** As above, for a request asking for {@code images} images (priced per image). */
    public Admission admit(Principal principal, String model, long promptTokens, Long maxTokens, int choices,
            long images) {
        return admit(principal, model, promptTokens, maxTokens, choices, images, 0);
    }

    /** As above, for a request that also holds {@code audioSeconds} of audio (priced per second). */
    public Admission admit(Principal principal, String model, long promptTokens, Long maxTokens, int choices,
            long images, long audioSeconds) {
        if (usageBlocked.getAsBoolean()) {
            throw Rejection.usageSpoolFull();
        }
        PriceEntry price = priceOf(model);
        long multiplierBp = snapshot.multiplierBp(principal.group());
        long estimate = estimate(promptTokens, maxTokens, choices, images, audioSeconds, price, multiplierBp);
        KeyState key = principal.key();
        // Read under the user's lock, not here: the principal's balance is from when the request arrived.
        PendingCharges.Outcome outcome = pending.tryReserve(principal.userId(), key.id(), estimate,
                () -> snapshot.balanceMicros(principal.user()),
                () -> key.quotaMicros() == null ? null : key.quotaMicros() - snapshot.usedMicros(key));
        if (!outcome.admitted()) {
            throw insufficientQuota();
        }
        return new Admission(price, multiplierBp, estimate, outcome.reservation());
    }

    /**
     * The model's own price, else the default price (the row of the reserved model name {@code *}); the ledger
     * charges an unpriced model by the same rule. No silent free use: with neither, the request is refused.
     */
    private PriceEntry priceOf(String model) {
        Optional<PriceEntry> own = snapshot.price(model);
        if (own.isPresent()) {
            return own.get();
        }
        return snapshot.price(DEFAULT_PRICE_MODEL).orElseThrow(() -> Rejection.modelNotPriced(model));
    }

    private static long estimate(long promptTokens, Long maxTokens, int choices, long images, long audioSeconds,
            PriceEntry price, long multiplierBp) {
        try {
            return CostEstimator.estimate(promptTokens, maxTokens, choices, images, audioSeconds, price, multiplierBp);
        } catch (ArithmeticException overflow) {
            // More than Long.MAX_VALUE micros: no balance covers it. A refusal, not a server error.
            throw insufficientQuota();
        }
    }

    private static Rejection insufficientQuota() {
        return new Rejection(Rejection.Kind.INSUFFICIENT_QUOTA, QUOTA_MESSAGE, null);
    }
}
