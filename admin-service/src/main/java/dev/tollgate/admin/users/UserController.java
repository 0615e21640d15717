package dev.tollgate.admin.users;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.auth.PasswordHasher;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.IdempotencyKeys;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Users, their balance top-ups and journal. */
@RestController
public class UserController {

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
    public Mono<UserView> create(Caller caller, @RequestBody UserRequests.CreateUser body,
            @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        caller.requireAdmin();
        body.validate();
        String commandId = IdempotencyKeys.commandId(idempotencyKey);
        return hasher.hash(body.password())
                .map(hash -> new Command.CreateUser(body.username(), hash, body.roleOrDefault(),
                        body.groupOrDefault(), true))
                .flatMap(command -> gateway.send(command, commandId, caller.actor()))
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
    public Mono<UserView> update(Caller caller, @PathVariable long id, @RequestBody UserRequests.UpdateUser body,
            @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        caller.requireAdmin();
        body.validate();
        String commandId = IdempotencyKeys.commandId(idempotencyKey);
        Mono<String> hash = body.password() == null ? Mono.just("") : hasher.hash(body.password());
        return visibleUser(caller, id)
                .then(hash)
                .map(h -> new Command.UpdateUser(id, body.group(), body.enabled(), h.isEmpty() ? null : h))
                .flatMap(command -> gateway.send(command, commandId, caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> users.findById(id));
    }

    @PostMapping("/api/users/{id}/topups")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<JournalEntryView> topUp(Caller caller, @PathVariable long id, @RequestBody UserRequests.TopUp body,
            @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        caller.requireAdmin();
        body.validate();
        String commandId = IdempotencyKeys.commandId(idempotencyKey);
        return visibleUser(caller, id)
                .flatMap(user -> gateway.send(new Command.TopUp(id, body.amountMicros(), body.note()), commandId,
                        caller.actor()))
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(entryOf(result, id, commandId)));
    }

    @GetMapping("/api/users/{id}/journal")
    public Mono<Page<JournalEntryView>> journal(Caller caller, @PathVariable long id,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        return visibleUser(caller, id)
                .flatMap(user -> users.journal(id, paging));
    }

    private Mono<JournalEntryView> entryOf(Change.CommandResult result, long userId, String commandId) {
        return CommandResults.numericEntityId(result)
                .map(users::journalEntry)
                .orElseGet(() -> users.journalEntryByRef(userId, commandId));
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
