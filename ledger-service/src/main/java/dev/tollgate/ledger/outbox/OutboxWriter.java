package dev.tollgate.ledger.outbox;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends messages to the outbox inside the caller's transaction, and wakes the publisher once that
 * transaction commits: the message leaves only if the state it announces was committed.
 */
@Component
public class OutboxWriter {

    private static final Object WAKE_REGISTERED = new Object();

    private final JdbcTemplate jdbc;
    private final Topics topics;
    private final OutboxPublisher publisher;

    OutboxWriter(JdbcTemplate jdbc, Topics topics, OutboxPublisher publisher) {
        this.jdbc = jdbc;
        this.topics = topics;
        this.publisher = publisher;
    }

    /** A change for the changes topic, keyed by its entity. */
    public void change(Change change) {
        append(topics.changes(), change.entityKey(), EventCodec.encodeToString(ChangeEnvelope.of(change)));
    }

    /** Many changes for the changes topic in one multi-row INSERT per chunk, in the order given. */
    public void changes(java.util.List<Change> changes) {
        int chunkSize = 200;
        for (int from = 0; from < changes.size(); from += chunkSize) {
            java.util.List<Change> chunk = changes.subList(from, Math.min(changes.size(), from + chunkSize));
            java.util.List<Object> args = new java.util.ArrayList<>(chunk.size() * 3);
            for (Change change : chunk) {
                args.add(topics.changes());
                args.add(change.entityKey());
                args.add(EventCodec.encodeToString(ChangeEnvelope.of(change)));
            }
            jdbc.update("INSERT INTO outbox (topic, msg_key, payload) VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?)")), args.toArray());
        }
        if (!changes.isEmpty()) {
            wakePublisherAfterCommit();
        }
    }

    public void append(String topic, String key, String payload) {
        jdbc.update("INSERT INTO outbox (topic, msg_key, payload) VALUES (?, ?, ?)", topic, key, payload);
        wakePublisherAfterCommit();
    }

    private void wakePublisherAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            publisher.wake();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(WAKE_REGISTERED)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(WAKE_REGISTERED, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WAKE_REGISTERED);
                if (status == STATUS_COMMITTED) {
                    publisher.wake();
                }
            }
        });
    }
}
