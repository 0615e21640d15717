package dev.tollgate.admin.commands;

import dev.tollgate.contracts.events.Change;

/** A part of the admin service that keeps state from the changes topic, fed by {@link CommandGateway#listen}. */
public interface ChangeListener {

    /** One change committed by the ledger (command results excepted). */
    void onChange(Change change);

    /** The follower reads from the end from now on: changes committed before were not seen here. */
    void onFollowing();
}
