package dev.tollgate.relay.support;

import dev.tollgate.contracts.secrets.CustomerKeys;
import java.util.HashMap;
import java.util.Map;

/**
 * One customer key per test cell, made on first use for one user, so each cell's usage events can be told apart by
 * key id.
 */
public final class CellKeys {

    private final RelayFixture fixture;
    private final long userId;
    private final Map<String, String> keys = new HashMap<>();
    private final Map<String, Long> ids = new HashMap<>();

    public CellKeys(RelayFixture fixture, long userId) {
        this.fixture = fixture;
        this.userId = userId;
    }

    /** The cell's key, inserted for the user the first time it is asked for. */
    public synchronized String key(String cell) {
        if (!keys.containsKey(cell)) {
            String key = CustomerKeys.generate();
            try {
                ids.put(cell, fixture.insertKey(userId, key));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            keys.put(cell, key);
        }
        return keys.get(cell);
    }

    /** The id of the cell's key, or null when none was made yet. */
    public synchronized Long id(String cell) {
        return ids.get(cell);
    }
}
