package dev.tollgate.contracts.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the services authenticate to Kafka ({@code TOLLGATE_KAFKA_AUTH}): the client properties every producer,
 * consumer and admin client of ours adds to its own.
 *
 * <ul>
 *   <li>{@code none} (default, also blank): plaintext, no authentication, no properties;</li>
 *   <li>{@code msk-iam}: Amazon MSK with IAM access control (MSK Serverless speaks nothing else), TLS on port
 *       9098; needs {@code software.amazon.msk:aws-msk-iam-auth} on the classpath, which signs with the
 *       default AWS credentials (on ECS, the task role).</li>
 * </ul>
 */
public final class KafkaAuth {

    public static final String NONE = "none";
    public static final String MSK_IAM = "msk-iam";

    private KafkaAuth() {
    }

    /**
     * @param mode {@code none}, {@code msk-iam} (case-insensitive; null or blank = none)
     * @return properties to add to a Kafka client's configuration (plain strings), empty for {@code none}
     * @throws IllegalArgumentException for any other mode
     */
    public static Map<String, Object> clientProperties(String mode) {
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        if (m.isEmpty() || NONE.equals(m)) {
            return Map.of();
        }
        if (MSK_IAM.equals(m)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("security.protocol", "SASL_SSL");
            p.put("sasl.mechanism", "AWS_MSK_IAM");
            p.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
            p.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
            return Map.copyOf(p);
        }
        throw new IllegalArgumentException("unknown Kafka auth mode '" + mode + "' (TOLLGATE_KAFKA_AUTH): use "
                + NONE + " or " + MSK_IAM);
    }
}
