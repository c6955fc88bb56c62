package io.aitrace;

import io.aitrace.helpers.NoopSpan;
import io.aitrace.spi.TracerServiceProvider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Carries the current span across threads, and traces interfaces.
 *
 * <pre>{@code
 * ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(4)); // tasks see the caller's span
 * WeatherTools tools = Tracing.proxy(WeatherTools.class, impl);         // @Traced methods become TOOL spans
 * }</pre>
 */
public final class Tracing {
    private Tracing() {
    }

    /** An executor whose tasks run with the span that was current when they were submitted. */
    public static Executor wrap(Executor executor) {
        if (executor instanceof ExecutorService) {
            return wrap((ExecutorService) executor);
        }
        if (executor == null || executor instanceof ContextExecutor) {
            return executor;
        }
        return new ContextExecutor(executor);
    }

    /** An executor service whose tasks run with the span that was current when they were submitted. */
    public static ExecutorService wrap(ExecutorService executor) {
        if (executor == null || executor instanceof ContextExecutorService) {
            return executor;
        }
        return new ContextExecutorService(executor);
    }

    /**
     * Writes the current span's propagation headers (W3C {@code traceparent} and {@code tracestate}) through
     * {@code setter}, for a request to another service. Writes nothing when no span is current.
     *
     * <pre>{@code
     * Tracing.inject(requestBuilder::header);
     * }</pre>
     */
    public static void inject(BiConsumer<String, String> setter) {
        TracerServiceProvider provider = TracerFactory.getProvider();
        if (provider == null || setter == null) {
            return;
        }
        try {
            provider.inject(setter);
        } catch (RuntimeException | LinkageError e) {
            // tracing never breaks the caller
        }
    }

    /**
     * The caller's span, read from propagation headers through {@code getter}: a non-recording span to use as
     * a parent ({@link Tracer#span(String, NodeType, Span)}). A missing or malformed header gives a no-op span,
     * never an exception.
     *
     * <pre>{@code
     * Span caller = Tracing.extract(exchange.getRequestHeaders()::getFirst);
     * try (Span handle = tracer.span("handle", NodeType.AGENT, caller)) { ... }
     * }</pre>
     *
     * The span may also be made current ({@code try (Scope s = caller.makeCurrent()) { ... }}), so that every
     * span started inside continues the caller's trace. A malformed {@code traceparent} is reported once on stderr.
     */
    public static Span extract(Function<String, String> getter) {
        TracerServiceProvider provider = TracerFactory.getProvider();
        if (provider == null || getter == null) {
            return NoopSpan.INSTANCE;
        }
        try {
            Span span = provider.extract(getter);
            return span == null ? NoopSpan.INSTANCE : span;
        } catch (RuntimeException | LinkageError e) {
            return NoopSpan.INSTANCE;
        }
    }

    /** The task, bound to the span current now. */
    public static Runnable wrap(Runnable task) {
        TracerServiceProvider provider = TracerFactory.getProvider();
        if (provider == null || task == null) {
            return task;
        }
        try {
            return provider.wrap(task);
        } catch (RuntimeException e) {
            return task;
        }
    }

    /** The task, bound to the span current now. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        TracerServiceProvider provider = TracerFactory.getProvider();
        if (provider == null || task == null) {
            return task;
        }
        try {
            return provider.wrap(task);
        } catch (RuntimeException e) {
            return task;
        }
    }

    /**
     * A proxy for {@code impl} that traces every method marked {@link Traced} (on the interface or on the
     * implementing class): the arguments become the span's input, the return value its output, an
     * exception marks the span failed and is thrown on unchanged (the same object). Other methods pass straight
     * through. A default method the implementation does not override runs on the proxy (for a public interface),
     * so traced methods it calls become its children; {@code equals} is identity on the proxy, {@code hashCode}
     * and {@code toString} are the implementation's, and none of them is traced.
     */
    @SuppressWarnings("unchecked")
    public static <T> T proxy(Class<T> type, T impl) {
        if (type == null || impl == null || !type.isInterface()) {
            throw new IllegalArgumentException("Tracing.proxy needs an interface and an implementation, got "
                    + type + " and " + impl);
        }
        Tracer tracer = TracerFactory.getTracer(type);
        InvocationHandler handler = new TracedInvocation(tracer, impl);
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static final class TracedInvocation implements InvocationHandler {
        private final Tracer tracer;
        private final Object impl;

        TracedInvocation(Tracer tracer, Object impl) {
            this.tracer = tracer;
            this.impl = impl;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                if (method.getName().equals("equals")) {
                    return proxy == args[0];
                }
                return invokeTarget(method, args);
            }
            Traced traced = findTraced(method);
            if (traced == null) {
                return invokeTarget(proxy, method, args);
            }
            String name = traced.value().isEmpty() ? method.getName() : traced.value();
            return tracer.call(name, NodeType.of(traced.type()), () -> {
                Span span = tracer.currentSpan();
                if (args != null && args.length > 0) {
                    span.input(arguments(method, args));
                }
                return invokeTarget(proxy, method, args);
            });
        }

        /**
         * A default method the implementation does not override runs on the proxy, so the traced methods it
         * calls become child spans; when the interface is not accessible from here it runs on the implementation.
         */
        private Object invokeTarget(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.isDefault() && !overridden(method) && isPublic(method.getDeclaringClass())) {
                try {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                } catch (IllegalAccessException e) {
                    // thrown before the method runs (e.g. a module that does not export the interface)
                    return invokeTarget(method, args);
                }
            }
            return invokeTarget(method, args);
        }

        private static boolean isPublic(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
                if (!java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                    return false;
                }
            }
            return true;
        }

        private boolean overridden(Method method) {
            try {
                return !impl.getClass().getMethod(method.getName(), method.getParameterTypes()).isDefault();
            } catch (NoSuchMethodException | SecurityException e) {
                return true;
            }
        }

        private Object invokeTarget(Method method, Object[] args) throws Throwable {
            try {
                if (!method.canAccess(impl)) {
                    method.setAccessible(true); // a package-private interface or implementation
                }
                return method.invoke(impl, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private Traced findTraced(Method method) {
            Traced traced = method.getAnnotation(Traced.class);
            if (traced != null) {
                return traced;
            }
            try {
                return impl.getClass().getMethod(method.getName(), method.getParameterTypes())
                        .getAnnotation(Traced.class);
            } catch (NoSuchMethodException | SecurityException e) {
                return null;
            }
        }

        private static Map<String, Object> arguments(Method method, Object[] args) {
            Parameter[] parameters = method.getParameters();
            Map<String, Object> named = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                named.put(parameters[i].getName(), args[i]);
            }
            return named;
        }
    }
}
