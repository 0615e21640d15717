package dev.tollgate.relay.metering;

import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Usage events to {@code tollgate.usage.v1}, keyed by user id so one user's events stay in order. */
public class KafkaUsageSink implements UsageSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaUsageSink.class);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaUsageSink(String bootstrap, String topic, String relayId) {
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tollgate-relay-usage-" + relayId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    @Override
    public void send(UsageEvent event) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, Long.toString(event.userId()), EventCodec.encode(event));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                // The spool (a later issue) will keep these; until then the loss is logged, by id only.
                log.error("Usage event {} (relaySeq {}) not published: {}", event.requestId(), event.relaySeq(),
                        error.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
