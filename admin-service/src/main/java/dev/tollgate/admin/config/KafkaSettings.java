package dev.tollgate.admin.config;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.kafka.KafkaAuth;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code tollgate.kafka.*}: where the broker is, how to authenticate, and the topic prefix. */
@ConfigurationProperties("tollgate.kafka")
public record KafkaSettings(
        @DefaultValue("127.0.0.1:9092") String bootstrap,
        @DefaultValue("none") String auth,
        @DefaultValue("") String topicPrefix) {

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /** Connection settings shared by our producer and consumer. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        // TOLLGATE_KAFKA_AUTH: none, or msk-iam (aws-msk-iam-auth is a runtime dependency).
        p.putAll(KafkaAuth.clientProperties(auth));
        return p;
    }
}
