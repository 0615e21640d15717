package dev.tollgate.relay.admission;

import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.PriceEntry;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only when the user's view (balance − this relay's pending charges) and the key's
 * quota view cover its estimate, and reserves the estimate until the request ends.
 */
public class AdmissionGate {

    private static final Logger log = LoggerFactory.getLogger(AdmissionGate.class);
    static final String QUOTA_MESSAGE =
            "You exceeded your current quota, please check your plan and billing details.";

    private final RelaySnapshot snapshot;
    private final PendingCharges pending;
    private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();

    public AdmissionGate(RelaySnapshot snapshot, PendingCharges pending) {
        this.snapshot = snapshot;
        this.pending = pending;
    }

    /**
     * @param choices how many answers the request asks for (OpenAI's {@code n})
     * @throws Rejection INSUFFICIENT_QUOTA when the balance or the key's quota does not cover the estimate
     */
    public Admission admit(Principal principal, String model, long promptTokens, Long maxTokens, int choices) {
        PriceEntry price = snapshot.price(model).orElse(null);
        if (price == null && unpricedWarned.add(model)) {
            log.warn("Model {} has no price: requests for it are admitted and cost 0", model);
        }
        long multiplierBp = snapshot.multiplierBp(principal.group());
        long estimate = estimate(promptTokens, maxTokens, choices, price, multiplierBp);
        KeyState key = principal.key();
        Long keyRemaining = key.quotaMicros() == null ? null : key.quotaMicros() - snapshot.usedMicros(key);
        PendingCharges.Outcome outcome = pending.tryReserve(principal.userId(), key.id(), estimate,
                principal.user().balanceMicros(), keyRemaining);
        if (!outcome.admitted()) {
            throw insufficientQuota();
        }
        return new Admission(price, multiplierBp, estimate, outcome.reservation());
    }

    private static long estimate(long promptTokens, Long maxTokens, int choices, PriceEntry price, long multiplierBp) {
        try {
            return CostEstimator.estimate(promptTokens, maxTokens, choices, price, multiplierBp);
        } catch (ArithmeticException overflow) {
            // More than Long.MAX_VALUE micros: no balance covers it. A refusal, not a server error.
            throw insufficientQuota();
        }
    }

    private static Rejection insufficientQuota() {
        return new Rejection(Rejection.Kind.INSUFFICIENT_QUOTA, QUOTA_MESSAGE, null);
    }
}
