package io.aitrace;

import io.aitrace.helpers.NoopTracer;
import io.aitrace.spi.TracerServiceProvider;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where tracers come from, as loggers come from SLF4J's {@code LoggerFactory}.
 *
 * <pre>{@code private static final Tracer tracer = TracerFactory.getTracer(MyAgent.class);}</pre>
 *
 * The provider is found once, with {@link ServiceLoader}; {@code -Daitrace.provider=FQCN} picks one
 * explicitly. A provider that fails to load is skipped with a warning. With no provider every
 * tracer is a no-op and one line {@code aitrace: no provider found ...} goes to stderr.
 */
public final class TracerFactory {
    /** The system property that names the provider class to use. */
    public static final String PROVIDER_PROPERTY = "aitrace.provider";

    private static final ConcurrentMap<String, Tracer> TRACERS = new ConcurrentHashMap<>();
    private static volatile TracerServiceProvider provider;
    /** The thread binding the provider right now, so that a provider asking for a tracer meanwhile gets a no-op. */
    private static volatile Thread bindingThread;

    private TracerFactory() {
    }

    /** The tracer named after this class. */
    public static Tracer getTracer(Class<?> type) {
        return getTracer(type == null ? "unknown" : type.getName());
    }

    /** The tracer with this name; the same instance for the same name. */
    public static Tracer getTracer(String name) {
        String key = name == null ? "unknown" : name;
        Tracer tracer = TRACERS.get(key);
        if (tracer != null) {
            return tracer;
        }
        // Bind before computeIfAbsent: binding runs provider code, which may ask for tracers itself.
        TracerServiceProvider bound = getProvider();
        if (bound == null && bindingThread == Thread.currentThread()) {
            // Asked for by a provider while it is being loaded: a no-op, and not remembered.
            return new NoopTracer(key);
        }
        return TRACERS.computeIfAbsent(key, k -> newTracer(k, bound));
    }

    /** The bound provider, or null when none was found (every tracer is a no-op then). */
    public static TracerServiceProvider getProvider() {
        TracerServiceProvider bound = provider;
        if (bound == null) {
            synchronized (TracerFactory.class) {
                if (provider == null) {
                    if (bindingThread == Thread.currentThread()) {
                        return null; // re-entered from a provider's constructor or static initializer
                    }
                    bindingThread = Thread.currentThread();
                    try {
                        provider = bind();
                    } finally {
                        bindingThread = null;
                    }
                }
                bound = provider;
            }
        }
        return bound == NoProvider.INSTANCE ? null : bound;
    }

    private static Tracer newTracer(String name, TracerServiceProvider bound) {
        if (bound == null) {
            return new NoopTracer(name);
        }
        try {
            Tracer tracer = bound.getTracer(name);
            return tracer == null ? new NoopTracer(name) : tracer;
        } catch (RuntimeException | LinkageError e) {
            Reporter.warn("provider " + bound.getClass().getName() + " failed to create tracer " + name
                    + ", tracing it as a no-op: " + describe(e));
            return new NoopTracer(name);
        }
    }

    private static TracerServiceProvider bind() {
        String explicit = System.getProperty(PROVIDER_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            TracerServiceProvider chosen = instantiate(explicit.trim());
            if (chosen != null) {
                return chosen;
            }
        }
        List<TracerServiceProvider> found = load();
        if (found.isEmpty()) {
            Reporter.warn("no provider found on the class path, tracing is a no-op."
                    + " Add io.aitrace:tracer-core to record traces.");
            return NoProvider.INSTANCE;
        }
        if (found.size() > 1) {
            StringBuilder names = new StringBuilder();
            for (TracerServiceProvider p : found) {
                names.append(names.length() == 0 ? "" : ", ").append(p.getClass().getName());
            }
            Reporter.warn("several providers found (" + names + "); using " + found.get(0).getClass().getName()
                    + ". Choose one with -D" + PROVIDER_PROPERTY + "=<class name>.");
        }
        return found.get(0);
    }

    private static List<TracerServiceProvider> load() {
        List<TracerServiceProvider> found = new ArrayList<>();
        Iterator<TracerServiceProvider> it;
        try {
            it = ServiceLoader.load(TracerServiceProvider.class, TracerFactory.class.getClassLoader()).iterator();
        } catch (ServiceConfigurationError | RuntimeException e) {
            Reporter.warn("cannot look up providers: " + describe(e));
            return found;
        }
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Reporter.warn("skipping a provider that failed to load: " + describe(e));
            }
        }
        return found;
    }

    private static TracerServiceProvider instantiate(String className) {
        try {
            Class<?> type = Class.forName(className, true, TracerFactory.class.getClassLoader());
            return (TracerServiceProvider) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Reporter.warn("provider " + className + " named by -D" + PROVIDER_PROPERTY
                    + " cannot be loaded, looking for others: " + describe(e));
            return null;
        }
    }

    /**
     * The error and its root cause on one line. The wrappers ServiceLoader and reflection throw say only
     * that a provider "could not be instantiated"; the cause says why.
     */
    private static String describe(Throwable error) {
        Throwable shown = error;
        if (shown instanceof InvocationTargetException && shown.getCause() != null) {
            shown = shown.getCause();
        }
        Throwable root = shown;
        for (int depth = 0; depth < 20 && root.getCause() != null; depth++) {
            root = root.getCause();
        }
        return root == shown ? shown.toString() : shown + " (caused by " + root + ")";
    }

    /** Marks "looked, found nothing" so the lookup and the warning happen once. */
    private static final class NoProvider implements TracerServiceProvider {
        static final NoProvider INSTANCE = new NoProvider();

        @Override public Tracer getTracer(String name) { return new NoopTracer(name); }
        @Override public Runnable wrap(Runnable task) { return task; }
        @Override public <T> java.util.concurrent.Callable<T> wrap(java.util.concurrent.Callable<T> task) { return task; }
    }
}
