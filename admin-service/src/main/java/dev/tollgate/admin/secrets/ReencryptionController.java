package dev.tollgate.admin.secrets;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.channels.ChannelSecrets;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.contracts.events.Command;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * After a master-key rotation: the ledger re-encrypts every stored channel key under the current master key id, so
 * the old key can then be dropped from TOLLGATE_MASTER_KEYS_OLD. Admins only.
 */
@RestController
public class ReencryptionController {

    private final ChannelSecrets secrets;
    private final CommandGateway gateway;

    public ReencryptionController(ChannelSecrets secrets, CommandGateway gateway) {
        this.secrets = secrets;
        this.gateway = gateway;
    }

    /** {@code reencrypted}: how many channel keys moved to {@code keyId} (0 when all already were). */
    public record ReencryptionView(String keyId, long reencrypted) {
    }

    @PostMapping("/api/admin/reencrypt-secrets")
    public Mono<ReencryptionView> reencrypt(Caller caller, WriteRequest write) {
        caller.requireAdmin();
        String keyId = secrets.currentKeyId();
        return gateway.send(new Command.ReencryptSecrets(keyId), write.commandId(caller.actor()),
                        write.fingerprint(null), caller.actor())
                .map(CommandResults::requireOk)
                .map(result -> new ReencryptionView(keyId,
                        CommandResults.numericEntityId(result).orElse(0L)));
    }
}
