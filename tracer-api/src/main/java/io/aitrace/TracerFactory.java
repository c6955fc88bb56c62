package io.aitrace;

import io.aitrace.spi.NoopTracer;
import io.aitrace.spi.TracerServiceProvider;
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

    private TracerFactory() {
    }

    /** The tracer named after this class. */
    public static Tracer getTracer(Class<?> type) {
        return getTracer(type == null ? "unknown" : type.getName());
    }

    /** The tracer with this name; the same instance for the same name. */
    public static Tracer getTracer(String name) {
        String key = name == null ? "unknown" : name;
        return TRACERS.computeIfAbsent(key, TracerFactory::newTracer);
    }

    /** The bound provider, or null when none was found (every tracer is a no-op then). */
    public static TracerServiceProvider getProvider() {
        TracerServiceProvider bound = provider;
        if (bound == null) {
            synchronized (TracerFactory.class) {
                if (provider == null) {
                    provider = bind();
                }
                bound = provider;
            }
        }
        return bound == NoProvider.INSTANCE ? null : bound;
    }

    private static Tracer newTracer(String name) {
        TracerServiceProvider bound = getProvider();
        if (bound == null) {
            return new NoopTracer(name);
        }
        try {
            Tracer tracer = bound.getTracer(name);
            return tracer == null ? new NoopTracer(name) : tracer;
        } catch (RuntimeException | LinkageError e) {
            Reporter.error("provider " + bound.getClass().getName() + " failed to create tracer " + name
                    + ", tracing it as a no-op", e);
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
            Reporter.error("cannot look up providers", e);
            return found;
        }
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Reporter.error("skipping a provider that failed to load", e);
            }
        }
        return found;
    }

    private static TracerServiceProvider instantiate(String className) {
        try {
            Class<?> type = Class.forName(className, true, TracerFactory.class.getClassLoader());
            return (TracerServiceProvider) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Reporter.error("provider " + className + " named by -D" + PROVIDER_PROPERTY
                    + " cannot be loaded, looking for others", e);
            return null;
        }
    }

    /** Marks "looked, found nothing" so the lookup and the warning happen once. */
    private static final class NoProvider implements TracerServiceProvider {
        static final NoProvider INSTANCE = new NoProvider();

        @Override public Tracer getTracer(String name) { return new NoopTracer(name); }
        @Override public Runnable wrap(Runnable task) { return task; }
        @Override public <T> java.util.concurrent.Callable<T> wrap(java.util.concurrent.Callable<T> task) { return task; }
    }
}
