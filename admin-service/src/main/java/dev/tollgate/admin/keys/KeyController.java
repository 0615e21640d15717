package dev.tollgate.admin.keys;

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
import dev.tollgate.contracts.secrets.CustomerKeys;
import java.util.Optional;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * Customer keys: an admin manages anyone's, a customer their own. Body capture ({@code captureBodies}) too: what it
 * keeps is the customer's own prompts and answers, readable by them and by admins.
 */
@RestController
public class KeyController {

    private final KeyRepository keys;
    private final CommandGateway gateway;

    public KeyController(KeyRepository keys, CommandGateway gateway) {
        this.keys = keys;
        this.gateway = gateway;
    }

    @PostMapping("/api/keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<CreatedKeyView> create(Caller caller, WriteRequest write, @RequestBody KeyRequests.CreateKey body) {
        body.validate();
        long userId = body.userId() == null ? caller.userId() : body.userId();
        String commandId = write.commandId(caller.actor());
        // Taken before the key is generated: a retry gets another key but must send the same fingerprint.
        String fingerprint = write.fingerprint(body);
        // Generated here and hashed before it leaves: the key itself never travels on Kafka.
        String key = CustomerKeys.generate();
        String hash = CustomerKeys.hash(key);
        return ownerGroup(caller, userId)
                .flatMap(userGroup -> groups(caller, userGroup, body.group(), null, body.fallbackGroup()))
                .map(groups -> new Command.CreateKey(userId, body.name(), hash, CustomerKeys.displayPrefix(key),
                        groups.group(), body.quotaMicros(), body.models(), body.allowedCidrs(), body.expiresAt(),
                        body.enabled() == null ? Boolean.TRUE : body.enabled(), body.rpmLimit(), body.tpmLimit(),
                        groups.fallbackGroup(), Boolean.TRUE.equals(body.captureBodies())))
                .flatMap(command -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> createdKey(result, hash))
                .map(view -> CreatedKeyView.of(key, view));
    }

    /**
     * A new key with the same settings, shown once; the old key keeps working for the grace period, then every relay
     * refuses it by time. An admin rotates any key, a customer their own.
     */
    @PostMapping("/api/keys/{id}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<CreatedKeyView> rotate(Caller caller, WriteRequest write, @PathVariable long id,
            @RequestBody(required = false) KeyRequests.RotateKey body) {
        long grace = (body == null ? new KeyRequests.RotateKey(null) : body).grace();
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(body);
        String key = CustomerKeys.generate();
        String hash = CustomerKeys.hash(key);
        return visibleKey(caller, id)
                .map(old -> new Command.RotateKey(old.id(), hash, CustomerKeys.displayPrefix(key), grace))
                .flatMap(command -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> createdKey(result, hash))
                .map(view -> CreatedKeyView.of(key, view));
    }

    @GetMapping("/api/keys")
    public Mono<Page<KeyView>> list(Caller caller, @RequestParam(required = false) Long userId,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        // A customer sees only their own keys, whatever filter they pass.
        Long owner = caller.isAdmin() ? userId : Long.valueOf(caller.userId());
        return keys.list(owner, paging);
    }

    @GetMapping("/api/keys/{id}")
    public Mono<KeyView> get(Caller caller, @PathVariable long id) {
        return visibleKey(caller, id);
    }

    @PatchMapping("/api/keys/{id}")
    public Mono<KeyView> update(Caller caller, WriteRequest write, @PathVariable long id,
            @RequestBody ObjectNode body) {
        KeyRequests.KeyPatch patch = KeyRequests.KeyPatch.parse(body);
        if (patch.isEmpty()) {
            throw ApiException.invalid("body", "name at least one field to change");
        }
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(body);
        return visibleKey(caller, id)
                .flatMap(key -> ownerGroup(caller, key.userId())
                        .flatMap(userGroup -> groups(caller, userGroup, patch.group(), key.group(),
                                patch.fallbackGroup())))
                .map(groups -> new Command.UpdateKey(id, patch.name(), groups.group(), patch.quotaMicros(),
                        patch.clearQuota() ? Boolean.TRUE : null, patch.models(), patch.allowedCidrs(),
                        patch.expiresAt(), patch.clearExpiry() ? Boolean.TRUE : null, patch.enabled(), null,
                        patch.rpmLimit(), patch.clearRpmLimit() ? Boolean.TRUE : null, patch.tpmLimit(),
                        patch.clearTpmLimit() ? Boolean.TRUE : null, groups.fallbackGroup(),
                        patch.clearFallbackGroup() ? Boolean.TRUE : null, patch.captureBodies()))
                .flatMap(command -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.atVersion(keys.findById(id), KeyView::version, result.version()));
    }

    @DeleteMapping("/api/keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(Caller caller, WriteRequest write, @PathVariable long id) {
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(null);
        Command.UpdateKey command = new Command.UpdateKey(id, null, null, null, null, null, null, null, null, null,
                Boolean.TRUE);
        return visibleKey(caller, id)
                .flatMap(key -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .then();
    }

    private Mono<KeyView> visibleKey(Caller caller, long id) {
        return keys.findById(id)
                .filter(key -> caller.maySee(key.userId()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("key")));
    }

    /** The group of the key's owner; 404 when the caller may not act for that user or it does not exist. */
    private Mono<String> ownerGroup(Caller caller, long userId) {
        if (!caller.maySee(userId)) {
            return Mono.error(ApiException.notFound("user"));
        }
        return keys.userGroup(userId)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user")));
    }

    /**
     * The group to send for a requested one (null: unchanged on a patch, the user's group on a create).
     * Another group may change the price multiplier, so an admin may name any group, a customer only their
     * own. A customer's own group is sent as null where that leaves the key following its user, so the key
     * does not keep that group after an admin moves the user; only a key an admin put elsewhere is pinned back.
     */
    static String groupToSend(Caller caller, String userGroup, String requested, String keyGroup) {
        if (requested == null || caller.isAdmin()) {
            return requested;
        }
        if (!requested.equals(userGroup)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "only an admin can put a key in another group");
        }
        return keyGroup == null ? null : requested;
    }

    /**
     * A fallback group opens the channels of another group, so, like the group, an admin may name any and a customer
     * only their own (null: unchanged on a patch, none on a create).
     */
    static String fallbackToSend(Caller caller, String userGroup, String requested) {
        if (requested == null || caller.isAdmin() || requested.equals(userGroup)) {
            return requested;
        }
        throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "only an admin can give a key another fallback group");
    }

    /** The group and fallback group to send, each checked for permission and existence. */
    private Mono<KeyGroups> groups(Caller caller, String userGroup, String requested, String keyGroup,
            String requestedFallback) {
        KeyGroups groups = new KeyGroups(groupToSend(caller, userGroup, requested, keyGroup),
                fallbackToSend(caller, userGroup, requestedFallback));
        return requireGroupExists("group", Optional.ofNullable(groups.group()))
                .then(requireGroupExists(KeyRequests.FALLBACK_GROUP, Optional.ofNullable(groups.fallbackGroup())))
                .thenReturn(groups);
    }

    private record KeyGroups(String group, String fallbackGroup) {
    }

    private Mono<Void> requireGroupExists(String field, Optional<String> group) {
        if (group.isEmpty()) {
            return Mono.empty();
        }
        return keys.groupExists(group.get())
                .flatMap(exists -> exists ? Mono.<Void>empty()
                        : Mono.error(ApiException.invalid(field, "no such group: " + group.get())));
    }

    /**
     * The key the command created. A repeated Idempotency-Key returns the first request's key, whose
     * secret was shown then and cannot be shown again: answer 409 rather than a key that does not work.
     */
    private Mono<KeyView> createdKey(Change.CommandResult result, String hash) {
        return CommandResults.numericEntityId(result)
                .map(id -> ReadBack.committed(keys.findById(id))
                        .flatMap(view -> keys.hasHash(id, hash)
                                .flatMap(same -> same ? Mono.just(view) : Mono.error(replayed()))))
                .orElseGet(() -> ReadBack.committed(keys.findByHash(hash)));
    }

    private static ApiException replayed() {
        return new ApiException(HttpStatus.CONFLICT, "conflict",
                "a key was already created with this Idempotency-Key; its secret was shown only in that answer");
    }
}
