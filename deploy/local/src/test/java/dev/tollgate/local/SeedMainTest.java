package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedMainTest {

    @TempDir
    Path state;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> calls = new ArrayList<>();

    private final SeedMain.SeedAction action = (admin, pw, sim) -> {
        calls.add(admin + " " + pw + " " + sim);
        return new Seeder.Result("demo", "pw", 7, "sk-demo-123");
    };

    @Test
    void shouldSeedOnceAndPrintTheStoredKeyWhenRunAgain() {
        SeedMain.Options o = SeedMain.parse(new String[] {"--admin-url", "http://admin:8081/", "--simulator-url",
                "http://simulator:8090", "--state", state.toString()});

        assertThat(run(o, "admin-pw")).isZero();
        assertThat(run(o, "admin-pw")).isZero();

        assertThat(calls).containsExactly("http://admin:8081 admin-pw http://simulator:8090");
        assertThat(text(out)).contains("KEY=sk-demo-123").contains("already seeded");
    }

    @Test
    void shouldPrintOnlyTheKeyWhenAskedForItAfterSeeding() {
        run(SeedMain.parse(new String[] {"--admin-url", "http://a", "--simulator-url", "http://s", "--state",
                state.toString()}), "pw");
        out.reset();

        int code = run(SeedMain.parse(new String[] {"--state", state.toString(), "--print-key"}), null);

        assertThat(code).isZero();
        assertThat(text(out)).isEqualTo("sk-demo-123\n");
    }

    @Test
    void shouldFailWithoutCallingTheAdminApiWhenThePasswordIsMissing() {
        int code = run(SeedMain.parse(new String[] {"--admin-url", "http://a", "--simulator-url", "http://s"}), "");

        assertThat(code).isEqualTo(2);
        assertThat(calls).isEmpty();
        assertThat(text(err)).contains("TOLLGATE_ADMIN_PASSWORD");
    }

    @Test
    void shouldRefuseToPrintAKeyWhenNotSeededYet() {
        assertThat(run(SeedMain.parse(new String[] {"--state", state.toString(), "--print-key"}), null)).isEqualTo(1);
    }

    @Test
    void shouldRejectArgumentsWhenUrlsAreMissingOrUnknown() {
        assertThatThrownBy(() -> SeedMain.parse(new String[] {"--admin-url", "http://a"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeedMain.parse(new String[] {"--admin-url", "http://a", "--simulator-url", "http://s",
                "--password", "x"})).hasMessageContaining("--password");
    }

    private int run(SeedMain.Options o, String password) {
        return SeedMain.run(o, password, action, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream s) {
        return s.toString(StandardCharsets.UTF_8);
    }
}
