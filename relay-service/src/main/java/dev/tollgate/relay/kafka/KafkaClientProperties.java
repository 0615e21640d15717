package dev.tollgate.relay.kafka;

import dev.tollgate.contracts.kafka.KafkaAuth;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's hand-built Kafka clients (usage, changes, commands, rate counts) start from these: the broker, the
 * authentication (TOLLGATE_KAFKA_AUTH), a client id, string keys and byte values. Each adds what is its own.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    public static Properties producer(String bootstrap, String kafkaAuth, String clientId) {
        Properties props = new Properties();
        props.putAll(KafkaAuth.clientProperties(kafkaAuth));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * A producer for what must arrive exactly once and in order (usage events, commands): idempotent, acks=all,
     * and quick to give up — its caller keeps what was not acknowledged and sends it again.
     */
    public static Properties reliableProducer(String bootstrap, String kafkaAuth, String clientId, int lingerMs) {
        Properties props = producer(bootstrap, kafkaAuth, clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "8000");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return props;
    }

    /** A consumer that assigns its partitions itself: no group offsets, no topic created by reading it. */
    public static Properties consumer(String bootstrap, String kafkaAuth, String clientId) {
        Properties props = new Properties();
        props.putAll(KafkaAuth.clientProperties(kafkaAuth));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
