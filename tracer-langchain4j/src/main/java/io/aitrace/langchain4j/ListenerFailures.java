package io.aitrace.langchain4j;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a failure inside one of our listeners away from the application: the failure is caught, reported once per
 * place on stderr with aitrace's prefix, and the LangChain4j call goes on.
 */
final class ListenerFailures {
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private ListenerFailures() {
    }

    /** Runs the body; anything it throws is reported once for {@code where} and swallowed. */
    static void guard(String where, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError error && !(t instanceof StackOverflowError)) {
                throw error;
            }
            report(where, t);
        }
    }

    static void report(String where, Throwable t) {
        if (REPORTED.add(where)) {
            System.err.println("aitrace: the LangChain4j listener failed in " + where + " and was skipped ("
                    + t + "); the application goes on. Further failures there are not reported.");
        }
    }
}
