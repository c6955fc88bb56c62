package io.aitrace.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.target.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one target every test's capture hangs off: hands each record to the capture of the test whose context
 * began its trace, and counts traces no capture claimed (the sign of work on an unwrapped executor).
 * Runs on the writer thread; claims come from application threads.
 */
final class CaptureTarget implements Target {
    static final CaptureTarget INSTANCE = new CaptureTarget();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UNCLAIMED_REMEMBERED = 10_000;

    private final Map<String, CapturedTraces> owners = new ConcurrentHashMap<>();
    private final AtomicLong unclaimedTraces = new AtomicLong();
    /** Traces seen without an owner, and traces whose test ended (their late records are nobody's news). */
    private final Map<String, Boolean> seenWithoutOwner = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > UNCLAIMED_REMEMBERED;
        }
    };

    private CaptureTarget() {
    }

    /**
     * Makes sure the global runtime writes to this target besides its own: an open runtime is replaced by one
     * with the same configuration plus this target; a closed one (a test closed the runtime it installed) by
     * one configured from the environment plus this target. A disabled runtime is left alone.
     */
    static synchronized void install() {
        TracerRuntime runtime = TracerRuntime.global();
        if (!runtime.config().enabled()) {
            return;
        }
        if (!runtime.enabled()) { // closed
            TracerRuntime.install(TracerConfig.builder().addTarget(INSTANCE).build());
        } else if (!runtime.targets().contains(INSTANCE)) {
            TracerRuntime.install(runtime.config().toBuilder().addTarget(INSTANCE).build());
        }
    }

    /** Records of this trace go to {@code capture} from now on. */
    void claim(String traceId, CapturedTraces capture) {
        owners.put(traceId, capture);
    }

    /** Records of this trace are no longer kept. */
    void release(String traceId) {
        synchronized (seenWithoutOwner) {
            seenWithoutOwner.put(traceId, Boolean.TRUE);
        }
        owners.remove(traceId);
    }

    /** How many traces began that no capture claimed, since this JVM started capturing. */
    long unclaimedTraces() {
        return unclaimedTraces.get();
    }

    @Override
    public void write(byte[] line, int offset, int length) {
        String text = new String(line, offset, length, StandardCharsets.UTF_8).strip();
        String traceId;
        try {
            JsonNode record = JSON.readTree(text);
            JsonNode id = record == null ? null : record.get("trace_id");
            if (id == null || !id.isTextual()) {
                return;
            }
            traceId = id.asText();
        } catch (IOException e) {
            return;
        }
        CapturedTraces owner = owners.get(traceId);
        if (owner != null) {
            owner.add(traceId, text);
        } else {
            synchronized (seenWithoutOwner) {
                if (seenWithoutOwner.put(traceId, Boolean.TRUE) == null) {
                    unclaimedTraces.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String describe() {
        return "tracer-test capture";
    }
}
