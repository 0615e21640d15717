package dev.tollgate.admin.config;

import dev.tollgate.contracts.Topics;
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
        if ("msk-iam".equalsIgnoreCase(auth)) {
            // Needs software.amazon.msk:aws-msk-iam-auth on the classpath (added by the AWS image).
            p.put("security.protocol", "SASL_SSL");
            p.put("sasl.mechanism", "AWS_MSK_IAM");
            p.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
            p.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        }
        return p;
    }
}
