package dev.tollgate.admin.users;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.auth.PasswordHasher;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpStatus;
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

/** Users, their balance top-ups and journal. */
@RestController
public class UserController {

    static final String JOURNAL_ENTITY = "journal";
    /** What a journal ref kept of a command id before the ledger's V5 migration: its first 64 characters. */
    private static final int LEGACY_JOURNAL_REF_LENGTH = 64;

    private final UserRepository users;
    private final CommandGateway gateway;
    private final PasswordHasher hasher;

    public UserController(UserRepository users, CommandGateway gateway, PasswordHasher hasher) {
        this.users = users;
        this.gateway = gateway;
        this.hasher = hasher;
    }

    @PostMapping("/api/users")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<UserView> create(Caller caller, WriteRequest write, @RequestBody UserRequests.CreateUser body) {
        caller.requireAdmin();
        body.validate();
        String commandId = write.commandId(caller.actor());
        // Taken before the password is hashed: bcrypt salts differ on every retry.
        String fingerprint = write.fingerprint(body);
        return hasher.hash(body.password())
                .map(hash -> new Command.CreateUser(body.username(), hash, body.roleOrDefault(),
                        body.groupOrDefault(), true))
                .flatMap(command -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(users.findByUsername(body.username())));
    }

    @GetMapping("/api/users")
    public Mono<Page<UserView>> list(Caller caller, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        caller.requireAdmin();
        return users.list(Paging.of(page, size));
    }

    @GetMapping("/api/users/{id}")
    public Mono<UserView> get(Caller caller, @PathVariable long id) {
        return visibleUser(caller, id);
    }

    @GetMapping("/api/me")
    public Mono<UserView> me(Caller caller) {
        return visibleUser(caller, caller.userId());
    }

    @PatchMapping("/api/users/{id}")
    public Mono<UserView> update(Caller caller, WriteRequest write, @PathVariable long id,
            @RequestBody ObjectNode json) {
        caller.requireAdmin();
        // Parsed from the tree: an explicit null (remove a rate limit) differs from an absent field.
        UserRequests.UpdateUser body = UserRequests.UpdateUser.parse(json).validate();
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(json);
        Mono<String> hash = body.password() == null ? Mono.just("") : hasher.hash(body.password());
        return visibleUser(caller, id)
                .then(hash)
                // A new password ends the user's sessions on every admin instance (the ledger announces it).
                .map(h -> new Command.UpdateUser(id, body.group(), body.enabled(), h.isEmpty() ? null : h,
                        body.rpmLimit(), body.tpmLimit(), body.clearRpmLimit() ? Boolean.TRUE : null,
                        body.clearTpmLimit() ? Boolean.TRUE : null,
                        h.isEmpty() ? null : Instant.now().truncatedTo(ChronoUnit.MILLIS)))
                .flatMap(command -> gateway.send(command, commandId, fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.atVersion(users.findById(id), UserView::version, result.version()));
    }

    @PostMapping("/api/users/{id}/topups")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<JournalEntryView> topUp(Caller caller, WriteRequest write, @PathVariable long id,
            @RequestBody UserRequests.TopUp body) {
        caller.requireAdmin();
        body.validate();
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(body);
        return visibleUser(caller, id)
                .flatMap(user -> gateway.send(new Command.TopUp(id, body.amountMicros(), body.note()), commandId,
                        fingerprint, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(entryOf(result, id, commandId)))
                .map(entry -> requireEntryOf(id, entry));
    }

    @GetMapping("/api/users/{id}/journal")
    public Mono<Page<JournalEntryView>> journal(Caller caller, @PathVariable long id,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        return visibleUser(caller, id)
                .flatMap(user -> users.journal(id, paging));
    }

    /** The entry the top-up wrote; a result about anything but a journal entry is not this top-up's. */
    private Mono<JournalEntryView> entryOf(Change.CommandResult result, long userId, String commandId) {
        if (!JOURNAL_ENTITY.equals(result.entity())) {
            return Mono.error(CommandResults.keyReused());
        }
        return CommandResults.numericEntityId(result)
                .map(users::journalEntry)
                .orElseGet(() -> users.journalEntryByRef(userId, commandId, legacyJournalRef(commandId)));
    }

    /** Never another user's entry: a result for another request under the same id answers 422 instead. */
    static JournalEntryView requireEntryOf(long userId, JournalEntryView entry) {
        if (entry.userId() != userId) {
            throw CommandResults.keyReused();
        }
        return entry;
    }

    /**
     * The ref of a top-up written before the ledger's V5 migration, which cut command ids to 64 characters (a
     * scoped id has 69); since V5 the ledger keeps the whole id, and the lookup matches either. Only a fallback:
     * the ledger's TopUp result names its entry by numeric id, so a retry finds it by that.
     */
    static String legacyJournalRef(String commandId) {
        return commandId.length() <= LEGACY_JOURNAL_REF_LENGTH ? commandId
                : commandId.substring(0, LEGACY_JOURNAL_REF_LENGTH);
    }

    /** The user if the caller may see it; a customer asking for someone else gets the same 404 as for nobody. */
    private Mono<UserView> visibleUser(Caller caller, long id) {
        if (!caller.maySee(id)) {
            return Mono.error(ApiException.notFound("user"));
        }
        return users.findById(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user")));
    }
}
