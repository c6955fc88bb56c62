package io.aitrace;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.app.WeatherAgentProgram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With only tracer-api on the class path, an application runs as it would without tracing. */
class NoProviderTest {
    private static ChildJvm.Result result;

    @BeforeAll
    static void runTheUsageBlockWithOnlyTheApiOnTheClassPath() throws Exception {
        result = ChildJvm.running(WeatherAgentProgram.class).run();
    }

    @Test
    void everyCallOfTheUsageBlockRunsToTheEnd() {
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result).last().isEqualTo("done");
    }

    @Test
    void callReturnsTheBodysValue() {
        assertThat(result.stdout()).as("%s", result).contains("call returned: sunny, 21C");
    }

    @Test
    void runRunsItsBody() {
        assertThat(result.stdout()).as("%s", result).contains("run rendered: sunny, 21C");
    }

    @Test
    void anExceptionThrownInsideASpanPropagatesUnchanged() {
        assertThat(result.stdout()).as("%s", result).contains("span body exception propagated unchanged: true");
    }

    @Test
    void anExceptionThrownByTheBodyOfCallPropagatesUnchanged() {
        assertThat(result.stdout()).as("%s", result).contains("call exception propagated unchanged: true");
    }

    @Test
    void theCurrentSpanIsANonRecordingSpan() {
        assertThat(result.stdout()).as("%s", result).contains("current span outside any span is recording: false");
    }

    @Test
    void aWrappedExecutorRunsItsTasks() {
        assertThat(result.stdout()).as("%s", result)
                .contains("wrapped pool task returned: forecast for Lyon", "wrapped pool terminated: true");
    }

    @Test
    void aProxiedTracedMethodReturnsTheImplementationsValue() {
        assertThat(result.stdout()).as("%s", result).contains("proxy returned: rain in Paris");
    }

    @Test
    void aProxiedMethodWithoutTracedPassesStraightThrough() {
        assertThat(result.stdout()).as("%s", result).contains("proxy passed untraced call through: metric");
    }

    @Test
    void anExceptionFromAProxiedMethodPropagatesUnchanged() {
        assertThat(result.stdout()).as("%s", result).contains("proxy exception propagated unchanged: true");
    }

    @Test
    void stderrHoldsExactlyOneNoProviderLine() {
        assertThat(result.stderr()).as("%s", result)
                .singleElement().asString().startsWith("aitrace: no provider found");
    }
}
