package io.aitrace.langchain4j;

import java.lang.reflect.Method;

/** Calls a public no-argument method by name when the object has one: for provider classes we do not link to. */
final class Reflect {
    private Reflect() {
    }

    static Object call(Object target, String method) {
        if (target == null) {
            return null;
        }
        try {
            Method m = target.getClass().getMethod(method);
            return m.getParameterCount() == 0 ? m.invoke(target) : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
