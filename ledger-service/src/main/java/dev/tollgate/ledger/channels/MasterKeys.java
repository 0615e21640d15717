package dev.tollgate.ledger.channels;

import dev.tollgate.contracts.secrets.SecretBox;
import java.util.Optional;

/**
 * The ledger's master keys (TOLLGATE_MASTER_KEY, its id and the old ones still read), as admin and relay have them;
 * empty when the ledger was given none.
 */
public record MasterKeys(SecretBox box) {

    public Optional<SecretBox> secretBox() {
        return Optional.ofNullable(box);
    }
}
