package dev.tollgate.ledger.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import org.junit.jupiter.api.Test;

class StoredCommandTest {

    private static final Command.TopUp TOP_UP = new Command.TopUp(1, 100, "x");
    private static final Change.CommandResult OK = Change.CommandResult.ok("id", "journal", "1", 1);

    private static CommandEnvelope envelope(String fingerprint, Command payload) {
        return CommandEnvelope.of("id", "it", fingerprint, payload);
    }

    @Test
    void shouldBeSameRequestWhenTypeAndFingerprintMatch() {
        assertThat(new StoredCommand("user.topup", "f1", OK).sameRequestAs(envelope("f1", TOP_UP))).isTrue();
    }

    @Test
    void shouldBeAnotherRequestWhenFingerprintsDiffer() {
        assertThat(new StoredCommand("user.topup", "f1", OK).sameRequestAs(envelope("f2", TOP_UP))).isFalse();
    }

    @Test
    void shouldBeAnotherRequestWhenTypesDifferWhateverTheFingerprints() {
        Command.SetGroup other = new Command.SetGroup("g", 10_000);
        assertThat(new StoredCommand("user.topup", null, OK).sameRequestAs(envelope(null, other))).isFalse();
        assertThat(new StoredCommand("user.topup", "f1", OK).sameRequestAs(envelope("f1", other))).isFalse();
    }

    @Test
    void shouldTrustTheIdWhenEitherSideHasNoFingerprint() {
        assertThat(new StoredCommand("user.topup", null, OK).sameRequestAs(envelope("f1", TOP_UP))).isTrue();
        assertThat(new StoredCommand("user.topup", "f1", OK).sameRequestAs(envelope(null, TOP_UP))).isTrue();
    }
}
