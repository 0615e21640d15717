package dev.tollgate.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import reactor.core.publisher.Hooks;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RelayApplication {

    private static final Logger log = LoggerFactory.getLogger(RelayApplication.class);

    public static void main(String[] args) {
        Hooks.onErrorDropped(RelayApplication::dropped);
        SpringApplication.run(RelayApplication.class, args);
    }

    /**
     * An error after its subscriber has gone. A client that hangs up mid-answer makes the upstream body's late
     * read fail this way ("released already due to cancellation"): expected, and no reason for an ERROR with a
     * stack trace per hang-up. Anything else is worth a warning, without the trace.
     */
    static void dropped(Throwable error) {
        String message = String.valueOf(error.getMessage());
        if (message.contains("cancel")) {
            log.debug("Dropped after cancellation: {}", message);
        } else {
            log.warn("Dropped error after the request ended: {}", error.toString());
        }
    }
}
