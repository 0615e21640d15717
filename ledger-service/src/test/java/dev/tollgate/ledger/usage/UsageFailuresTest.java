package dev.tollgate.ledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLDataException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.transaction.CannotCreateTransactionException;

class UsageFailuresTest {

    @Test
    void shouldTreatRefusedValuesAndOverflowsAsDeterministic() {
        assertThat(UsageFailures.isDeterministic(new DataIntegrityViolationException("out of range",
                new SQLDataException("BIGINT value is out of range", "22003", 1690)))).isTrue();
        assertThat(UsageFailures.isDeterministic(new ArithmeticException("long overflow"))).isTrue();
    }

    @Test
    void shouldTreatDataExceptionAsDeterministicWhenDriverReportsItAsSyntaxError() {
        // What MariaDB Connector/J 3 does with SQLSTATE 22003, and Spring then calls bad grammar.
        assertThat(UsageFailures.isDeterministic(new BadSqlGrammarException("update", "UPDATE users ...",
                new SQLSyntaxErrorException("BIGINT value is out of range", "22003", 1690)))).isTrue();
        assertThat(UsageFailures.isDeterministic(new BadSqlGrammarException("select", "SELEC",
                new SQLSyntaxErrorException("You have an error in your SQL syntax", "42000", 1064)))).isFalse();
    }

    @Test
    void shouldRetryWhenFailureIsADedupeRaceOrTheDatabaseIsUnwell() {
        assertThat(UsageFailures.isDeterministic(new DuplicateKeyException("dup"))).isFalse();
        assertThat(UsageFailures.isDeterministic(new CannotAcquireLockException("deadlock"))).isFalse();
        assertThat(UsageFailures.isDeterministic(new QueryTimeoutException("slow"))).isFalse();
        assertThat(UsageFailures.isDeterministic(new DataAccessResourceFailureException("down"))).isFalse();
        assertThat(UsageFailures.isDeterministic(new CannotCreateTransactionException("no connection"))).isFalse();
        assertThat(UsageFailures.isDeterministic(new IllegalStateException("a bug"))).isFalse();
        assertThat(UsageFailures.isDeterministic(new DataAccessResourceFailureException("down",
                new SQLTransientConnectionException("gone", "08000")))).isFalse();
    }

    @Test
    void shouldDescribeWithTheDatabasesOwnMessage() {
        String reason = UsageFailures.describe(new DataIntegrityViolationException("PreparedStatementCallback; SQL...",
                new SQLDataException("BIGINT value is out of range", "22003", 1690)));
        assertThat(reason).isEqualTo("SQLSTATE 22003: BIGINT value is out of range");
        assertThat(UsageFailures.describe(new ArithmeticException("long overflow")))
                .isEqualTo("ArithmeticException: long overflow");
    }
}
