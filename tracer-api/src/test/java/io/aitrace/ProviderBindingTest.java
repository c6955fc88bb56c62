package io.aitrace;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.app.SecondTestProvider;
import io.aitrace.app.SelfTracingTestProvider;
import io.aitrace.app.TracerProgram;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding one provider found by ServiceLoader. */
class ProviderBindingTest {

    @TempDir
    Path classPathDir;

    @Test
    void aSingleProviderIsUsedWithoutAnyWarning() throws Exception {
        ChildJvm.Result result = ChildJvm.running(TracerProgram.class)
                .withClassPath(ProviderDirectory.listing(classPathDir, SecondTestProvider.class.getName()))
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).containsExactly("SecondTestProvider traced step", "done");
        assertThat(result.stderr()).as("%s", result).isEmpty();
    }

    @Test
    void aProviderThatAsksForATracerWhileBeingConstructedIsBoundOnceAndGetsANoOpTracerMeanwhile() throws Exception {
        ChildJvm.Result result = ChildJvm.running(TracerProgram.class)
                .withClassPath(ProviderDirectory.listing(classPathDir, SelfTracingTestProvider.class.getName()))
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result)
                .containsExactly("SelfTracingTestProvider constructed", "SelfTracingTestProvider traced step", "done");
        assertThat(result.stderr()).as("%s", result).isEmpty();
    }
}
