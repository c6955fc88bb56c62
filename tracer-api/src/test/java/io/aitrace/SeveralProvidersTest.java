package io.aitrace;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.app.FirstTestProvider;
import io.aitrace.app.SecondTestProvider;
import io.aitrace.app.TracerProgram;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing among providers: the first found with a warning, or the one {@code -Daitrace.provider} names. */
class SeveralProvidersTest {
    private static final String FIRST = FirstTestProvider.class.getName();
    private static final String SECOND = SecondTestProvider.class.getName();

    @TempDir
    Path classPathDir;

    @Test
    void twoProvidersGiveAWarningNamingBothAndTheOneUsed() throws Exception {
        ChildJvm.Result result = ChildJvm.running(TracerProgram.class)
                .withClassPath(ProviderDirectory.listing(classPathDir, FIRST, SECOND))
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).containsExactly("FirstTestProvider traced step", "done");
        assertThat(result.stderr()).as("%s", result).singleElement().asString()
                .startsWith("aitrace: ")
                .contains(FIRST, SECOND, "using " + FIRST, "-D" + TracerFactory.PROVIDER_PROPERTY);
    }

    @Test
    void theProviderPropertyPicksTheNamedProviderWithoutAWarningAboutSeveral() throws Exception {
        ChildJvm.Result result = ChildJvm.running(TracerProgram.class)
                .withClassPath(ProviderDirectory.listing(classPathDir, FIRST, SECOND))
                .withProperty(TracerFactory.PROVIDER_PROPERTY, SECOND)
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).containsExactly("SecondTestProvider traced step", "done");
        assertThat(result.stderr()).as("%s", result).isEmpty();
    }

    @Test
    void theProviderPropertyWorksWithoutAnyServicesEntry() throws Exception {
        ChildJvm.Result result = ChildJvm.running(TracerProgram.class)
                .withProperty(TracerFactory.PROVIDER_PROPERTY, SECOND)
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).containsExactly("SecondTestProvider traced step", "done");
        assertThat(result.stderr()).as("%s", result).isEmpty();
    }

    @Test
    void theProviderPropertyNamingAMissingClassWarnsAndFallsBackToTheServiceLoaderProvider() throws Exception {
        String missing = "io.aitrace.app.NoSuchProvider";
        ChildJvm.Result result = ChildJvm.running(TracerProgram.class)
                .withClassPath(ProviderDirectory.listing(classPathDir, FIRST))
                .withProperty(TracerFactory.PROVIDER_PROPERTY, missing)
                .run();

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).containsExactly("FirstTestProvider traced step", "done");
        assertThat(result.stderr()).as("%s", result).singleElement().asString()
                .startsWith("aitrace: ")
                .contains(missing, "-D" + TracerFactory.PROVIDER_PROPERTY);
    }
}
