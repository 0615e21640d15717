package dev.tollgate.admin.channels;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Upstream channels (admin only). */
@RestController
public class ChannelController {

    private final ChannelRepository channels;
    private final ChannelSecrets secrets;
    private final CommandGateway gateway;

    public ChannelController(ChannelRepository channels, ChannelSecrets secrets, CommandGateway gateway) {
        this.channels = channels;
        this.secrets = secrets;
        this.gateway = gateway;
    }

    @PostMapping("/api/channels")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ChannelView> create(Caller caller, WriteRequest write, @RequestBody ChannelRequest body) {
        caller.requireAdmin();
        body.validateForCreate();
        String commandId = write.commandId(caller.actor());
        // Taken before encryption: each encryption of the key has a fresh IV.
        String fingerprint = write.fingerprint(body);
        Command.CreateChannel command = toCreate(body, secrets.encrypt(body.apiKey()));
        return gateway.send(command, commandId, fingerprint, caller.actor())
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(createdChannel(result, body.name())));
    }

    @PatchMapping("/api/channels/{id}")
    public Mono<ChannelView> update(Caller caller, WriteRequest write, @PathVariable long id,
            @RequestBody ChannelRequest body) {
        caller.requireAdmin();
        body.validate();
        if (body.isEmpty()) {
            throw ApiException.invalid("body", "name at least one field to change");
        }
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(body);
        Command.UpdateChannel command = toUpdate(id, body, secrets.encrypt(body.apiKey()));
        return channels.findById(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("channel")))
                .flatMap(existing -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.atVersion(channels.findById(id), ChannelView::version, result.version()));
    }

    /**
     * Deletes a channel: the ledger marks it deleted (its request-log rows keep pointing at it), every relay drops
     * it, and it is gone from this API. Its name stays taken, so old logs never name two channels alike.
     */
    @DeleteMapping("/api/channels/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(Caller caller, WriteRequest write, @PathVariable long id) {
        caller.requireAdmin();
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(null);
        Command.UpdateChannel command = new Command.UpdateChannel(id, null, null, null, null, null, null, null, null,
                null, null, null, Boolean.TRUE);
        return channels.findById(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("channel")))
                .flatMap(existing -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .then();
    }

    @GetMapping("/api/channels")
    public Mono<Page<ChannelView>> list(Caller caller, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size, @RequestParam(required = false) String tag) {
        caller.requireAdmin();
        String only = tag == null || tag.isBlank() ? null : ChannelRequest.checkTag("tag", tag);
        return channels.list(Paging.of(page, size), only);
    }

    @GetMapping("/api/channels/{id}")
    public Mono<ChannelView> get(Caller caller, @PathVariable long id) {
        caller.requireAdmin();
        return channels.findById(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("channel")));
    }

    /** Request to command; the key goes in only as ciphertext. Pure, for tests. */
    static Command.CreateChannel toCreate(ChannelRequest b, String apiKeyCiphertext) {
        return new Command.CreateChannel(b.name(), b.provider(), b.baseUrl(), apiKeyCiphertext, b.config(),
                b.models(), b.modelMapping(), b.groups() == null ? ChannelRequest.DEFAULT_GROUPS : b.groups(),
                b.priority() == null ? 0 : b.priority(), b.weight() == null ? 1 : b.weight(),
                b.enabled() == null ? Boolean.TRUE : b.enabled(), b.tags());
    }

    static Command.UpdateChannel toUpdate(long id, ChannelRequest b, String apiKeyCiphertext) {
        return new Command.UpdateChannel(id, b.name(), b.provider(), b.baseUrl(), apiKeyCiphertext, b.config(),
                b.models(), b.modelMapping(), b.groups(), b.priority(), b.weight(), b.enabled(), null, b.tags());
    }

    private Mono<ChannelView> createdChannel(Change.CommandResult result, String name) {
        return CommandResults.numericEntityId(result)
                .map(channels::findById)
                .orElseGet(() -> channels.findByName(name));
    }
}
