package io.aitrace;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.app.ThrowingTestProvider;
import io.aitrace.app.WeatherAgentProgram;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider that cannot be loaded is reported and skipped; the application goes on untraced. */
class BrokenProviderTest {
    private static final String MISSING_PROVIDER = "io.aitrace.app.NoSuchProvider";

    @TempDir
    Path classPathDir;

    @Test
    void aServicesEntryNamingAMissingClassIsReportedAndTracingFallsBackToNoOp() throws Exception {
        ChildJvm.Result result = ChildJvm.running(WeatherAgentProgram.class)
                .withClassPath(ProviderDirectory.listing(classPathDir, MISSING_PROVIDER))
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).last().isEqualTo("done");
        assertThat(result.stderr()).as("%s", result).hasSize(2);
        assertThat(result.stderr().get(0)).startsWith("aitrace: ").contains(MISSING_PROVIDER, "not found");
        assertThat(result.stderr().get(1)).startsWith("aitrace: no provider found");
    }

    @Test
    void aProviderWhoseConstructorThrowsIsReportedWithItsCauseAndTracingFallsBackToNoOp() throws Exception {
        ChildJvm.Result result = ChildJvm.running(WeatherAgentProgram.class)
                .withClassPath(ProviderDirectory.listing(classPathDir, ThrowingTestProvider.class.getName()))
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).last().isEqualTo("done");
        assertThat(result.stderr()).as("%s", result).hasSize(2);
        assertThat(result.stderr().get(0)).startsWith("aitrace: ")
                .contains(ThrowingTestProvider.class.getName(), ThrowingTestProvider.FAILURE);
        assertThat(result.stderr().get(1)).startsWith("aitrace: no provider found");
    }

    @Test
    void aProviderNamedByThePropertyWhoseConstructorThrowsIsReportedWithItsCause() throws Exception {
        ChildJvm.Result result = ChildJvm.running(WeatherAgentProgram.class)
                .withProperty(TracerFactory.PROVIDER_PROPERTY, ThrowingTestProvider.class.getName())
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).last().isEqualTo("done");
        assertThat(result.stderr()).as("%s", result).hasSize(2);
        assertThat(result.stderr().get(0)).startsWith("aitrace: ")
                .contains(ThrowingTestProvider.class.getName(), ThrowingTestProvider.FAILURE);
        assertThat(result.stderr().get(1)).startsWith("aitrace: no provider found");
    }
}
