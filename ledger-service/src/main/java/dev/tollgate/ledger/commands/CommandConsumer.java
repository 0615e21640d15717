package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UnreadableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Reads the commands topic one record at a time; the offset is committed after the command's transaction. */
@Component
class CommandConsumer {

    private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);
    private static final int MAX_ID_LENGTH = 128;

    private final CommandProcessor processor;

    CommandConsumer(CommandProcessor processor) {
        this.processor = processor;
    }

    @KafkaListener(id = "ledger-commands", groupId = "tollgate-ledger-commands", topics = "#{@topics.commands()}",
            containerFactory = "commandListenerFactory")
    void onCommand(ConsumerRecord<String, byte[]> record) {
        CommandEnvelope command;
        try {
            command = EventCodec.decodeCommand(record.value() == null ? new byte[0] : record.value());
        } catch (UnreadableEventException e) {
            // Nothing to answer: without a readable id nobody waits for this result.
            log.warn("Unreadable command at {}-{}@{} skipped: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (command.id() == null || command.id().isBlank() || command.id().length() > MAX_ID_LENGTH) {
            log.warn("Command without a usable id at {}-{}@{} skipped (type {})", record.topic(),
                    record.partition(), record.offset(), command.type());
            return;
        }
        processor.process(command);
    }
}
