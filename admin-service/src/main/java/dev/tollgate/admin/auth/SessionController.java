package dev.tollgate.admin.auth;

import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.users.UserRepository;
import dev.tollgate.admin.web.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Ending sessions, on every admin instance ({@link SessionRevocations}): {@code POST /api/auth/logout} the caller's
 * session, {@code POST /api/auth/logout-all} every session of the caller, {@code POST /api/users/{id}/sessions/revoke}
 * (admins) every session of a user. Each answers 204 once the ledger has it. When the ledger cannot confirm in time,
 * logout still answers 204 and the other two 503, and the command is sent again in the background until the ledger
 * has it ({@link PendingRevocations}); the instance that answers refuses the ended sessions at once either way.
 */
@RestController
public class SessionController {

    private final SessionRevocations revocations;
    private final UserRepository users;

    public SessionController(SessionRevocations revocations, UserRepository users) {
        this.revocations = revocations;
        this.users = users;
    }

    @PostMapping("/api/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> logout(Caller caller, WriteRequest write) {
        return Mono.deferContextual(ctx -> Mono.justOrEmpty(ctx.<SessionTokens.Session>getOrEmpty(
                        SessionTokens.Session.class)))
                // The session is in the fingerprint: one Idempotency-Key sent from two sessions is two sign-outs.
                .flatMap(session -> revocations.signOut(session, write.commandId(caller.actor()),
                        write.fingerprint(Map.of("session", session.id())), caller.actor()));
    }

    @PostMapping("/api/auth/logout-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> logoutAll(Caller caller, WriteRequest write) {
        return revocations.endSessions(caller.userId(), write.commandId(caller.actor()), write.fingerprint(null),
                caller.actor()).then();
    }

    @PostMapping("/api/users/{id}/sessions/revoke")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> revokeUserSessions(Caller caller, WriteRequest write, @PathVariable long id) {
        caller.requireAdmin();
        return users.findById(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user")))
                .flatMap(user -> revocations.endSessions(id, write.commandId(caller.actor()), write.fingerprint(null),
                        caller.actor()))
                .then();
    }
}
