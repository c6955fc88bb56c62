package io.aitrace.core.internal.span;

import io.aitrace.core.TraceStartListener;
import io.aitrace.core.TracerRuntime;
import io.aitrace.core.internal.pipeline.DeferredStart;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.SpanAttributes;
import io.aitrace.core.record.SpanRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.EdgeType;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.SpanKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An aitrace span: IDs and a place in OpenTelemetry's context (with the application's SDK, a span of that SDK;
 * else IDs of its own, as the SDK would make them) plus what an agent trace adds (node type, inputs, outputs,
 * annotations, edges). {@code tracer.span(...)} makes it current on the thread
 * that started it, and closing it there restores what it replaced ({@link SpanScope}); {@code startSpan} leaves
 * the context alone.
 */
public final class RealSpan extends DeferredStart implements Span {
    /** The aitrace span in a context, kept beside OpenTelemetry's span key (which may hold a foreign span). */
    public static final ContextKey<RealSpan> KEY = ContextKey.named("aitrace-span");
    private static final AttributeKey<String> NODE_TYPE = AttributeKey.stringKey("aitrace.node_type");

    private final TracerRuntime runtime;
    /** The application SDK's span, null when aitrace makes the IDs itself ({@link #copiesToOtel} false). */
    private final io.opentelemetry.api.trace.Span otelSpan;
    private final String traceId;
    private final String spanId;
    private final String parentSpanId;
    /** The numbers the IDs are the hex of, when aitrace made them (for the encoder); else null. */
    private final SpanRecord.IdNumbers idNumbers;
    private final String name;
    private final NodeType type;
    private final long startNanos;
    private final String thread;
    private final boolean localRoot;
    /** The kind and attributes at the start, for the start record (made later, maybe on the writer's thread). */
    private final String startKind;
    private final Map<String, JsonNode> startAttributes;
    /** The context this span was started in: where a span started under it after it ended goes instead. */
    private final Context parent;
    private final Context context;
    /** Open while the span is current on the thread that started it (tracer.span), else null. */
    private final SpanScope scope;
    /**
     * Whether attributes, events, links and the status go onto the SDK span too: only when the application's
     * own OpenTelemetry made it, since its exporters read them. aitrace's own SDK exports nothing.
     */
    private final boolean copiesToOtel;

    // Guarded by this: spans may be annotated from several threads.
    private final SpanAttributes attributes;
    private Map<String, JsonNode> inheritable;
    private JsonNode input;
    private JsonNode output;
    private List<SpanRecord.Note> annotations = Collections.emptyList();
    private List<SpanRecord.Link> edges = Collections.emptyList();
    private List<EvaluationRecord> evaluations = Collections.emptyList();
    private ObjectNode error;
    private SpanKind kind;
    private long endNanos;

    RealSpan(TracerRuntime runtime, String name, NodeType type, SpanKind kind) {
        this(runtime, name, type, kind, ScopedContext.current(), true);
    }

    /**
     * A span under {@code parent}; made current on this thread when {@code current} is true (closing it then
     * restores what it replaced), else current only inside {@link #makeCurrent()}.
     */
    RealSpan(TracerRuntime runtime, String name, NodeType type, SpanKind kind, Context parent, boolean current) {
        this.runtime = runtime;
        this.name = name == null ? "unnamed" : name;
        this.type = type == null ? NodeType.STEP : type;
        this.kind = kind == null ? SpanKind.INTERNAL : kind;
        this.startNanos = runtime.now();
        this.copiesToOtel = runtime.copiesToOtel();
        SpanContext parentIds = io.opentelemetry.api.trace.Span.fromContext(parent).getSpanContext();
        SpanContext ids;
        if (copiesToOtel) {
            SpanBuilder builder = runtime.otelTracer().spanBuilder(this.name)
                    .setParent(parent)
                    .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                    .setSpanKind(io.opentelemetry.api.trace.SpanKind.valueOf(this.kind.name()))
                    .setAttribute(NODE_TYPE, this.type.name());
            this.otelSpan = builder.startSpan();
            ids = otelSpan.getSpanContext();
        } else {
            // aitrace owns the IDs: no SDK span to start and end, nothing reads one (see docs/opentelemetry.md).
            this.otelSpan = null;
            ids = SpanIdentity.childOf(parentIds);
        }
        this.traceId = ids.getTraceId();
        this.spanId = ids.getSpanId();
        this.parentSpanId = parentIds.isValid() && parentIds.getTraceId().equals(traceId)
                ? parentIds.getSpanId() : null;
        this.idNumbers = SpanIdentity.numbersOf(ids);
        RealSpan parentSpan = parent.get(KEY);
        this.localRoot = parentSpan == null;
        if (parentSpan != null && parentSpan.owner() != Thread.currentThread()) {
            runtime.queueStart(parentSpan); // a child's record from this thread must not come before its parent's
        }
        this.inheritable = parentSpan == null ? RemoteSpan.inheritableIn(parent) : parentSpan.inheritableAttributes();
        this.startKind = this.kind.name();
        this.startAttributes = inheritable;
        this.attributes = new SpanAttributes(inheritable);
        this.thread = Thread.currentThread().getName();
        this.parent = parent;
        // Without the application's SDK the context holds the span's IDs only (a propagated span): that is what
        // survives the OpenTelemetry Java agent's bridge of the application's context, so spans of the agent (and
        // of any instrumentation) nest under aitrace's. The application's SDK gets its span.
        this.context = parent.with(copiesToOtel ? otelSpan : io.opentelemetry.api.trace.Span.wrap(ids))
                .with(KEY, this);
        if (localRoot) { // before this span becomes current: a remote parent's listener is the caller's
            tellTraceStart(runtime, parent, traceId);
        }
        this.scope = current ? SpanScope.openFor(context, this) : null;
        runtime.submitStart(this);
    }

    @Override
    protected SpanRecord startRecord() {
        // Nothing was set at the start: the attributes are the inherited ones, an unmodifiable map the record shares.
        return new SpanRecord(traceId, spanId, parentSpanId, name, type.name(), startKind, startNanos, 0, "running",
                null, startAttributes, null, null, Collections.emptyList(), Collections.emptyList(),
                Collections.emptyList(), runtime.resource(), thread, localRoot, idNumbers);
    }

    Context context() {
        return context;
    }

    /** Before the first record of a new trace goes out, so the listener's side knows the ID when it arrives. */
    private static void tellTraceStart(TracerRuntime runtime, Context parent, String traceId) {
        TraceStartListener listener = parent.get(TraceStartListener.KEY);
        if (listener == null) {
            // An explicit remote parent carries a context of its own, without the caller's listener.
            listener = ScopedContext.current().get(TraceStartListener.KEY);
        }
        if (listener != null) {
            try {
                listener.traceStarted(traceId);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                runtime.reportMisuse("trace start listener " + listener.getClass().getName(), e);
            }
        }
    }

    String name() {
        return name;
    }

    /**
     * {@code context}, or when the aitrace span in it has ended, the context of its nearest open ancestor: a
     * span never becomes the parent of a span started after it ended. An open span of other instrumentation
     * nested inside the ended one stops the walk (it is a live parent of its own).
     */
    public static Context nearestOpen(Context context) {
        RealSpan span = context.get(KEY);
        while (span != null && span.isEnded() && span.isInnermostIn(context)) {
            context = span.parent;
            span = context.get(KEY);
        }
        return context;
    }

    /** True when no other live OpenTelemetry span sits inside this one in {@code context}. */
    private boolean isInnermostIn(Context context) {
        io.opentelemetry.api.trace.Span inner = io.opentelemetry.api.trace.Span.fromContext(context);
        return inner.getSpanContext().getSpanId().equals(spanId) || !inner.isRecording();
    }

    /** The inheritable attributes as set now (an unmodifiable map, replaced on change). */
    synchronized Map<String, JsonNode> inheritableAttributes() {
        return inheritable;
    }

    private boolean open() {
        return endNanos == 0;
    }

    @Override
    public Span attribute(String key, Object value) {
        if (key == null) {
            return this;
        }
        try {
            JsonNode json = runtime.converter().toJson(key, value);
            synchronized (this) {
                if (open()) {
                    attributes.put(key, json);
                    if (copiesToOtel) {
                        OtelAttributes.set(otelSpan, key, json);
                    }
                }
            }
        } catch (RuntimeException e) {
            runtime.reportMisuse("attribute " + key, e);
        }
        return this;
    }

    @Override
    public Span inheritableAttribute(String key, Object value) {
        if (key == null) {
            return this;
        }
        attribute(key, value);
        synchronized (this) {
            if (open()) {
                Map<String, JsonNode> next = new LinkedHashMap<>(inheritable);
                next.put(key, attributes.get(key));
                inheritable = Collections.unmodifiableMap(next);
            }
        }
        return this;
    }

    @Override
    public Span input(String key, Object value) {
        return setValue(true, key, runtime.converter().toJson(key, value));
    }

    @Override
    public Span input(Object value) {
        return setValue(true, null, runtime.converter().toJson(value));
    }

    @Override
    public Span output(String key, Object value) {
        return setValue(false, key, runtime.converter().toJson(key, value));
    }

    @Override
    public Span output(Object value) {
        return setValue(false, null, runtime.converter().toJson(value));
    }

    /** Sets the input or the output: the whole value when {@code key} is null, else one entry of it. */
    private Span setValue(boolean isInput, String key, JsonNode json) {
        synchronized (this) {
            if (open()) {
                JsonNode current = isInput ? input : output;
                JsonNode next = key == null ? json : withEntry(current, key, json);
                if (isInput) {
                    input = next;
                } else {
                    output = next;
                }
            }
        }
        return this;
    }

    /** A new object with the entry added: records already made keep the old object unchanged. */
    private static JsonNode withEntry(JsonNode current, String key, JsonNode value) {
        ObjectNode next = JsonNodeFactory.instance.objectNode();
        if (current instanceof ObjectNode) {
            next.setAll((ObjectNode) current);
        } else if (current != null && !current.isNull()) {
            next.set("value", current);
        }
        next.set(key, value);
        return next;
    }

    @Override
    public Span annotate(String text) {
        long now = runtime.now();
        String cut = runtime.converter().cut(text == null ? "" : text);
        synchronized (this) {
            if (open()) {
                List<SpanRecord.Note> next = new ArrayList<>(annotations.size() + 1);
                next.addAll(annotations);
                next.add(new SpanRecord.Note(now, cut));
                annotations = next;
                if (copiesToOtel) {
                    otelSpan.addEvent(cut, now, TimeUnit.NANOSECONDS);
                }
            }
        }
        return this;
    }

    @Override
    public Span edge(EdgeType type, Span other) {
        if (other == null || other.spanId().isEmpty()) {
            return this;
        }
        return edge(type, other.traceId(), other.spanId());
    }

    @Override
    public Span edge(EdgeType type, String otherTraceId, String otherSpanId) {
        if (type == null || otherSpanId == null || otherSpanId.isEmpty()) {
            return this;
        }
        String trace = otherTraceId == null || otherTraceId.isEmpty() ? traceId : otherTraceId;
        synchronized (this) {
            if (open()) {
                List<SpanRecord.Link> next = new ArrayList<>(edges.size() + 1);
                next.addAll(edges);
                next.add(new SpanRecord.Link(type.wireName(), trace, otherSpanId));
                edges = next;
                if (copiesToOtel) {
                    SpanContext link = SpanContext.create(trace, otherSpanId,
                            otelSpan.getSpanContext().getTraceFlags(), otelSpan.getSpanContext().getTraceState());
                    otelSpan.addLink(link, io.opentelemetry.api.common.Attributes.of(
                            AttributeKey.stringKey("aitrace.edge_type"), type.wireName()));
                }
            }
        }
        return this;
    }

    @Override
    public Span evaluate(String evaluationName, Double score, String label, String explanation) {
        try {
            EvaluationRecord evaluation = EvaluationRecord.of(traceId, spanId, runtime.now(), evaluationName, score,
                    label, explanation, runtime.converter());
            if (evaluation == null) {
                runtime.reportBadEvaluation(name);
                return this;
            }
            synchronized (this) {
                if (open()) {
                    List<EvaluationRecord> next = new ArrayList<>(evaluations.size() + 1);
                    next.addAll(evaluations);
                    next.add(evaluation);
                    evaluations = next;
                    if (copiesToOtel) {
                        otelSpan.addEvent(io.aitrace.genai.GenAi.EVALUATION_RESULT, evaluation.otelAttributes(),
                                evaluation.epochNanos(), TimeUnit.NANOSECONDS);
                    }
                    return this;
                }
            }
            runtime.submit(evaluation); // evaluated after it ended: a record of its own, attached by readers
        } catch (RuntimeException e) {
            runtime.reportMisuse("evaluate " + evaluationName, e);
        }
        return this;
    }

    @Override
    public Span error(Throwable exception) {
        if (exception == null) {
            return this;
        }
        if (isEnded()) {
            runtime.reportLateError(name);
            return this;
        }
        ObjectNode json = runtime.converter().errorObject(exception);
        synchronized (this) {
            if (open()) {
                error = json;
                if (copiesToOtel) {
                    otelSpan.recordException(exception);
                    otelSpan.setStatus(StatusCode.ERROR, json.path("message").asText(""));
                }
            }
        }
        return this;
    }

    @Override
    public Span error(String message) {
        if (isEnded()) {
            runtime.reportLateError(name);
            return this;
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putNull("type");
        json.put("message", runtime.converter().cut(message));
        json.putNull("stack");
        synchronized (this) {
            if (open()) {
                error = json;
                if (copiesToOtel) {
                    otelSpan.setStatus(StatusCode.ERROR, message == null ? "" : message);
                }
            }
        }
        return this;
    }

    @Override
    public Span kind(SpanKind spanKind) {
        if (spanKind != null) {
            synchronized (this) {
                if (open()) {
                    kind = spanKind;
                }
            }
        }
        return this;
    }

    @Override
    public io.aitrace.Scope makeCurrent() {
        return SpanScope.open(context);
    }

    @Override
    public Span snapshot() {
        synchronized (this) {
            if (!open()) {
                return this;
            }
        }
        runtime.submitSnapshot(this, snapshotRecord());
        return this;
    }

    @Override
    public String traceId() {
        return traceId;
    }

    @Override
    public String spanId() {
        return spanId;
    }

    public String parentSpanId() {
        return parentSpanId;
    }

    @Override
    public boolean isRecording() {
        return true;
    }

    @Override
    public synchronized boolean isEnded() {
        return !open();
    }

    @Override
    public void close() {
        long end = runtime.now();
        synchronized (this) {
            if (!open()) {
                return;
            }
            endNanos = Math.max(end, startNanos + 1);
        }
        if (otelSpan != null) {
            try {
                otelSpan.end(endNanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                runtime.reportMisuse("end", e);
            }
        }
        if (scope != null) {
            scope.close(); // only on the thread that started the span; elsewhere the scope is left dead
        }
        runtime.submitEnd(this, record());
    }

    private SpanRecord snapshotRecord() {
        synchronized (this) {
            return new SpanRecord(traceId, spanId, parentSpanId, name, type.name(), kind.name(), startNanos, 0,
                    error == null ? "running" : "error", error, new LinkedHashMap<>(attributes), input, output,
                    annotations, edges, evaluations, runtime.resource(), thread, localRoot, idNumbers);
        }
    }

    private SpanRecord record() {
        synchronized (this) {
            return new SpanRecord(traceId, spanId, parentSpanId, name, type.name(), kind.name(), startNanos, endNanos,
                    error == null ? "ok" : "error", error, attributes, input, output, annotations, edges,
                    evaluations, runtime.resource(), thread, localRoot, idNumbers);
        }
    }

    @Override
    public String toString() {
        return "Span " + type + " " + name + " [" + traceId + "/" + spanId + "]";
    }
}
