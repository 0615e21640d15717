package dev.tollgate.relay.metering.spool;

import dev.tollgate.contracts.kafka.KafkaAuth;
import dev.tollgate.relay.kafka.KafkaClientProperties;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/** Makes the usage producer: idempotent, acks=all, and quick to give up so an outage is noticed in seconds. */
public final class UsageProducers {

    private UsageProducers() {
    }

    public static Supplier<Producer<String, byte[]>> kafka(String bootstrap, String relayId) {
        return kafka(bootstrap, KafkaAuth.NONE, relayId);
    }

    /** @param kafkaAuth TOLLGATE_KAFKA_AUTH ({@code none} or {@code msk-iam}) */
    public static Supplier<Producer<String, byte[]>> kafka(String bootstrap, String kafkaAuth, String relayId) {
        Properties props = properties(bootstrap, kafkaAuth, relayId);
        return () -> new KafkaProducer<>(props);
    }

    static Properties properties(String bootstrap, String kafkaAuth, String relayId) {
        // The spool holds what is not acknowledged: fail fast and resend, rather than wait minutes in the producer.
        return KafkaClientProperties.reliableProducer(bootstrap, kafkaAuth, "tollgate-relay-usage-" + relayId, 5);
    }
}
