package io.aitrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Tracing} in this JVM, where no provider is bound: tasks and proxied calls behave as unwrapped. */
class TracingTest {
    private ExecutorService pool;

    interface Tools {
        @Traced
        String lookup(String query) throws IOException;

        String plain();

        default String greeting() {
            return "hello " + plain();
        }
    }

    static final class StubTools implements Tools {
        private final IOException failure;

        StubTools(IOException failure) {
            this.failure = failure;
        }

        @Override
        public String lookup(String query) throws IOException {
            if (failure != null) {
                throw failure;
            }
            return "found " + query;
        }

        @Override
        public String plain() {
            return "plain";
        }

        @Override
        public String toString() {
            return "StubTools";
        }
    }

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void aWrappedExecutorServiceRunsSubmittedTasks() throws Exception {
        ExecutorService wrapped = Tracing.wrap(pool);

        Future<String> called = wrapped.submit(() -> "called");
        Future<String> ran = wrapped.submit(() -> { }, "ran");

        assertThat(called.get(30, TimeUnit.SECONDS)).isEqualTo("called");
        assertThat(ran.get(30, TimeUnit.SECONDS)).isEqualTo("ran");
    }

    @Test
    void aWrappedExecutorServiceRunsInvokeAllAndInvokeAny() throws Exception {
        ExecutorService wrapped = Tracing.wrap(pool);
        List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2);

        List<Integer> results = new ArrayList<>();
        for (Future<Integer> f : wrapped.invokeAll(tasks)) {
            results.add(f.get());
        }

        assertThat(results).containsExactly(1, 2);
        assertThat(wrapped.invokeAny(tasks)).isIn(1, 2);
    }

    @Test
    void shuttingDownAWrappedExecutorServiceShutsDownTheOriginal() throws Exception {
        ExecutorService wrapped = Tracing.wrap(pool);

        wrapped.shutdown();

        assertThat(wrapped.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(wrapped.isTerminated()).isTrue();
    }

    @Test
    void aWrappedPlainExecutorRunsItsTasks() {
        List<String> ran = new ArrayList<>();
        Executor direct = Runnable::run;

        Tracing.wrap(direct).execute(() -> ran.add("task"));

        assertThat(ran).containsExactly("task");
    }

    @Test
    void anExecutorServicePassedAsAnExecutorIsWrappedAsAnExecutorService() {
        Executor asExecutor = pool;

        assertThat(Tracing.wrap(asExecutor)).isInstanceOf(ExecutorService.class);
    }

    @Test
    void wrappingTwiceWrapsOnce() {
        ExecutorService once = Tracing.wrap(pool);
        Executor plainOnce = Tracing.wrap((Executor) Runnable::run);

        assertThat(Tracing.wrap(once)).isSameAs(once);
        assertThat(Tracing.wrap(plainOnce)).isSameAs(plainOnce);
    }

    @Test
    void wrappingNullGivesNull() {
        assertThat(Tracing.wrap((ExecutorService) null)).isNull();
        assertThat(Tracing.wrap((Executor) null)).isNull();
        assertThat(Tracing.wrap((Runnable) null)).isNull();
        assertThat(Tracing.wrap((Callable<?>) null)).isNull();
    }

    @Test
    void withoutAProviderATaskIsNotWrapped() {
        Runnable task = () -> { };

        assertThat(Tracing.wrap(task)).isSameAs(task);
    }

    @Test
    void aProxyReturnsWhatTheImplementationReturns() throws IOException {
        Tools tools = Tracing.proxy(Tools.class, new StubTools(null));

        assertThat(tools.lookup("paris")).isEqualTo("found paris");
        assertThat(tools.plain()).isEqualTo("plain");
        assertThat(tools.greeting()).isEqualTo("hello plain");
    }

    @Test
    void aProxyThrowsTheImplementationsCheckedExceptionUnchanged() {
        IOException failure = new IOException("index offline");
        Tools tools = Tracing.proxy(Tools.class, new StubTools(failure));

        assertThat(catchThrowable(() -> tools.lookup("paris"))).isSameAs(failure);
    }

    @Test
    void aProxyAnswersObjectMethodsLikeItsImplementation() {
        StubTools impl = new StubTools(null);
        Tools tools = Tracing.proxy(Tools.class, impl);

        assertThat(tools.toString()).isEqualTo("StubTools");
        assertThat(tools.hashCode()).isEqualTo(impl.hashCode());
        assertThat(tools.equals(tools)).isTrue();
        assertThat(tools.equals(Tracing.proxy(Tools.class, impl))).isFalse();
    }

    @Test
    void proxyNeedsAnInterface() {
        assertThatIllegalArgumentException().isThrownBy(() -> Tracing.proxy(StubTools.class, new StubTools(null)));
        assertThatIllegalArgumentException().isThrownBy(() -> Tracing.proxy(Tools.class, null));
    }
}
