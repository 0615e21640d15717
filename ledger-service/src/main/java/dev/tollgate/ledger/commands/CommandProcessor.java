package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.ledger.outbox.OutboxWriter;
import dev.tollgate.ledger.redemption.RedemptionCommands;
import dev.tollgate.ledger.redemption.RedemptionOutcome;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one command in its own transaction, exactly once per command id: the state change, the
 * {@code processed_commands} row, the entity's changes and the CommandResult all commit together.
 * A repeated id gets the stored result again, unless it comes with another type or fingerprint:
 * then the id was reused for a different request, which is refused. Rejections are results too,
 * stored the same way (except that refusal, which must not replace the original's result). Each first
 * application also writes its {@code audit_log} row (who, what, on what, how it ended) in the same transaction.
 */
@Component
public class CommandProcessor {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);
    private static final int MAX_FINGERPRINT = 128;

    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final OutboxWriter outbox;
    private final UserCommands users;
    private final KeyCommands keys;
    private final ChannelCommands channels;
    private final PriceCommands prices;
    private final RedemptionCommands redemptions;
    private final SettingsCommands settings;
    private final SessionCommands sessions;

    CommandProcessor(TransactionTemplate tx, JdbcTemplate jdbc, OutboxWriter outbox, UserCommands users,
            KeyCommands keys, ChannelCommands channels, PriceCommands prices, RedemptionCommands redemptions,
            SettingsCommands settings, SessionCommands sessions) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.users = users;
        this.keys = keys;
        this.prices = prices;
        this.channels = channels;
        this.redemptions = redemptions;
        this.settings = settings;
        this.sessions = sessions;
    }

    /** Returns the result announced (new or repeated). Database outages propagate, so the command is retried. */
    public Change.CommandResult process(CommandEnvelope command) {
        try {
            return tx.execute(status -> applyOnce(command));
        } catch (DataIntegrityViolationException e) {
            // A constraint the checks did not foresee: a lasting answer, not a reason to retry forever.
            log.warn("Command {} ({}) violates a constraint: {}", command.id(), command.type(),
                    e.getMostSpecificCause().getMessage());
            Outcome rejected = Outcome.rejected(Outcome.INVALID, "rejected by a database constraint");
            return tx.execute(status -> {
                StoredCommand stored = stored(command.id());
                return stored != null ? answerRepeat(command, stored) : record(command, rejected);
            });
        }
    }

    private Change.CommandResult applyOnce(CommandEnvelope command) {
        StoredCommand stored = stored(command.id());
        if (stored != null) {
            return answerRepeat(command, stored);
        }
        if (command.fingerprint() != null && command.fingerprint().length() > MAX_FINGERPRINT) {
            return record(command, Outcome.rejected(Outcome.INVALID, "fingerprint is longer than " + MAX_FINGERPRINT));
        }
        return record(command, dispatch(command));
    }

    /** The stored result for a retry of the same request; a refusal, not stored, for another request under the id. */
    private Change.CommandResult answerRepeat(CommandEnvelope command, StoredCommand stored) {
        if (stored.sameRequestAs(command)) {
            log.info("Command {} ({}) seen before: answering with the stored result", command.id(), command.type());
            return republish(stored.result());
        }
        log.warn("Command id {} reused: first for {}, now for {} with another fingerprint or type", command.id(),
                stored.type(), command.type());
        Change.CommandResult refused = Change.CommandResult.rejected(command.id(), Outcome.IDEMPOTENCY_KEY_REUSED,
                "this Idempotency-Key was already used for a different request");
        outbox.change(refused);
        return refused;
    }

    private Change.CommandResult record(CommandEnvelope command, Outcome outcome) {
        Change.CommandResult result = outcome.result(command.id());
        String fingerprint = command.fingerprint() != null && command.fingerprint().length() <= MAX_FINGERPRINT
                ? command.fingerprint() : null;
        jdbc.update("INSERT INTO processed_commands (command_id, type, actor, fingerprint, result) "
                        + "VALUES (?, ?, ?, ?, ?)",
                command.id(), command.type(), Checks.truncate(command.actor(), 128), fingerprint,
                Json.mapper().writeValueAsString(result));
        audit(command, outcome);
        List<Change> changes = outcome.changes();
        changes.forEach(outbox::change);
        outbox.change(result);
        if (!outcome.ok()) {
            log.info("Command {} ({}) rejected: {} {}", command.id(), command.type(), outcome.code(), outcome.message());
        }
        return result;
    }

    private void audit(CommandEnvelope command, Outcome outcome) {
        String aggregate = command.payload() != null ? command.payload().aggregateId() : null;
        // The entity touched names what a create made; a journal entry is better found under its user.
        String target = outcome.ok() && outcome.entity() != null && !"journal".equals(outcome.entity())
                ? outcome.entity() + ":" + outcome.entityId()
                : aggregate;
        jdbc.update("INSERT INTO audit_log (command_id, type, actor, target, ok, code, body) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                command.id(), command.type(), Checks.truncate(command.actor(), 128), Checks.truncate(target, 160),
                outcome.ok(), Checks.truncate(outcome.code(), 64), AuditRedaction.body(command.payload()));
    }

    private Change.CommandResult republish(Change.CommandResult stored) {
        outbox.change(stored);
        return stored;
    }

    private StoredCommand stored(String commandId) {
        List<StoredCommand> rows = jdbc.query(
                "SELECT type, fingerprint, result FROM processed_commands WHERE command_id = ?",
                (rs, i) -> new StoredCommand(rs.getString(1), rs.getString(2),
                        Json.mapper().readValue(rs.getString(3), Change.CommandResult.class)),
                commandId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Outcome dispatch(CommandEnvelope envelope) {
        Command c = envelope.payload();
        if (c == null) {
            return Outcome.rejected(Outcome.INVALID, "command without a payload");
        } else if (c instanceof Command.CreateUser x) {
            return users.create(x);
        } else if (c instanceof Command.UpdateUser x) {
            return users.update(x);
        } else if (c instanceof Command.SetTotp x) {
            return users.setTotp(x);
        } else if (c instanceof Command.UseTotpStep x) {
            return sessions.useTotpStep(x);
        } else if (c instanceof Command.RevokeSession x) {
            return sessions.revokeSession(x);
        } else if (c instanceof Command.RevokeSessions x) {
            return sessions.revokeSessions(x);
        } else if (c instanceof Command.TopUp x) {
            return users.topUp(envelope.id(), x);
        } else if (c instanceof Command.CreateKey x) {
            return keys.create(x);
        } else if (c instanceof Command.UpdateKey x) {
            return keys.update(x);
        } else if (c instanceof Command.RotateKey x) {
            return keys.rotate(x);
        } else if (c instanceof Command.CreateChannel x) {
            return channels.create(x);
        } else if (c instanceof Command.UpdateChannel x) {
            return channels.update(x);
        } else if (c instanceof Command.AutoDisableChannel x) {
            return channels.autoDisable(x);
        } else if (c instanceof Command.SetPrice x) {
            return prices.setPrice(x);
        } else if (c instanceof Command.SetGroup x) {
            return prices.setGroup(x);
        } else if (c instanceof Command.CreateRedemptionCodes x) {
            return outcomeOf(redemptions.create(x));
        } else if (c instanceof Command.RedeemCode x) {
            return outcomeOf(redemptions.redeem(x));
        } else if (c instanceof Command.ReencryptSecrets x) {
            return channels.reencrypt(x);
        } else if (c instanceof Command.SetSettings x) {
            return settings.set(x);
        }
        return Outcome.rejected(Outcome.INVALID, "unsupported command " + envelope.type());
    }

    private static Outcome outcomeOf(RedemptionOutcome r) {
        return new Outcome(r.ok(), r.entity(), r.entityId(), r.version(), r.code(), r.message(), r.changes());
    }
}
