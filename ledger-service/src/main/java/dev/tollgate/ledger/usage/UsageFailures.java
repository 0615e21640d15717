package dev.tollgate.ledger.usage;

import java.sql.SQLException;
import java.time.DateTimeException;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

/**
 * Tells a failure that the same record will meet again on every retry (a value the database
 * refuses, an overflow) from one a retry may cure (the database down, a deadlock, a lock timeout,
 * anything unknown). Only the first kind may send a record to the DLQ; unknown failures keep
 * retrying, because dead-lettering a valid event loses money.
 */
final class UsageFailures {

    private static final int MAX_REASON = 500;
    /** SQLSTATE classes: 22 data exception (out of range, too long, bad date), 23 constraint violation. */
    private static final String DATA_EXCEPTION = "22";
    private static final String CONSTRAINT_VIOLATION = "23";

    private UsageFailures() {
    }

    static boolean isDeterministic(Throwable e) {
        if (e instanceof DuplicateKeyException) {
            return false; // a dedupe race with another ledger instance: the retry finds the row and skips it
        }
        if (e instanceof DataIntegrityViolationException) {
            return true;
        }
        // Judged by SQLSTATE, not by exception type: the MariaDB driver reports class 22 as a syntax error,
        // which Spring translates to BadSqlGrammarException.
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ArithmeticException || t instanceof DateTimeException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith(DATA_EXCEPTION) || state.startsWith(CONSTRAINT_VIOLATION);
            }
        }
        return false;
    }

    /** A short reason for the dead letter: the SQLSTATE and the database's message, else the exception's. */
    static String describe(Throwable e) {
        Throwable cause = e instanceof NestedRuntimeException nested ? nested.getMostSpecificCause() : e;
        String text = cause instanceof SQLException sql
                ? "SQLSTATE " + sql.getSQLState() + ": " + sql.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON);
    }
}
