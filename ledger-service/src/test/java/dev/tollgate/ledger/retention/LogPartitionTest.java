package dev.tollgate.ledger.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class LogPartitionTest {

    @Test
    void shouldCountDaysAsMysqlToDaysWhenConvertingDates() {
        // SELECT TO_DAYS('2026-01-01') = 739982 on MariaDB and MySQL; TO_DAYS('1970-01-01') = 719528.
        assertThat(LogPartition.toDays(LocalDate.of(1970, 1, 1))).isEqualTo(719_528);
        assertThat(LogPartition.toDays(LocalDate.of(2026, 1, 1))).isEqualTo(739_982);
        assertThat(LogPartition.fromToDays(739_982)).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(LogPartition.nameFor(LocalDate.of(2026, 11, 26))).isEqualTo("p20261126");
    }
}
