package io.aitrace.core.internal.span;

import com.fasterxml.jackson.databind.JsonNode;
import io.aitrace.Span;
import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.record.ValueConverter;
import io.aitrace.helpers.NoopSpan;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * W3C Trace Context ({@code traceparent}, {@code tracestate}) and, when enabled, W3C {@code baggage} for
 * inheritable attributes, through OpenTelemetry's propagators: what {@code Tracing.inject}/{@code extract} do.
 */
public final class W3cPropagation {
    static final String TRACEPARENT = "traceparent";
    /** W3C Baggage's limits: 8192 bytes for the header, at least 64 entries must be accepted. */
    public static final int MAX_BAGGAGE_BYTES = 8192;
    public static final int MAX_BAGGAGE_ENTRIES = 64;

    private static final TextMapSetter<BiConsumer<String, String>> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.accept(key, value);
        }
    };
    private static final TextMapGetter<Function<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of(); // a getter cannot be enumerated; the W3C propagators do not need it
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private final ValueConverter converter;
    private final boolean baggage;
    private final AtomicBoolean malformedReported = new AtomicBoolean();

    public W3cPropagation(ValueConverter converter, boolean baggage) {
        this.converter = converter;
        this.baggage = baggage;
    }

    /** Writes the headers of the current span (the nearest open one); nothing when no span is current. */
    public void inject(BiConsumer<String, String> setter) {
        Context context = RealSpan.nearestOpen(ScopedContext.current());
        if (!io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext().isValid()) {
            return;
        }
        W3CTraceContextPropagator.getInstance().inject(context, setter, SETTER);
        RealSpan span = context.get(RealSpan.KEY);
        if (baggage && span != null) {
            Baggage bag = toBaggage(span.inheritableAttributes());
            if (!bag.isEmpty()) {
                W3CBaggagePropagator.getInstance().inject(Context.root().with(bag), setter, SETTER);
            }
        }
    }

    /** The caller's span from the headers; the no-op span (and one line on stderr) for a malformed traceparent. */
    public Span extract(Function<String, String> getter) {
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), getter, GETTER);
        SpanContext ids = io.opentelemetry.api.trace.Span.fromContext(extracted).getSpanContext();
        if (!ids.isValid()) {
            String header = getter.apply(TRACEPARENT);
            if (header != null && !header.isBlank() && malformedReported.compareAndSet(false, true)) {
                Diagnostics.warn("ignored a malformed traceparent header '" + converter.cut(header)
                        + "' (W3C Trace Context: version 00, lower-case hex, non-zero IDs); the span under it"
                        + " begins a new trace (further ones are not reported)");
            }
            return NoopSpan.INSTANCE;
        }
        Map<String, JsonNode> inherited = Map.of();
        if (baggage) {
            Baggage bag = Baggage.fromContext(
                    W3CBaggagePropagator.getInstance().extract(Context.root(), getter, GETTER));
            inherited = fromBaggage(bag);
        }
        return new RemoteSpan(ids, inherited);
    }

    /** Masked values (they were converted with their keys) as text, within the W3C limits. */
    private static Baggage toBaggage(Map<String, JsonNode> attributes) {
        BaggageBuilder builder = Baggage.builder();
        int bytes = 0;
        int entries = 0;
        for (Map.Entry<String, JsonNode> e : attributes.entrySet()) {
            String value = e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString();
            int size = e.getKey().length() + 1 + URLEncoder.encode(value, StandardCharsets.UTF_8).length()
                    + (entries == 0 ? 0 : 1);
            if (entries == MAX_BAGGAGE_ENTRIES || bytes + size > MAX_BAGGAGE_BYTES) {
                continue; // left out; smaller entries after it may still fit
            }
            builder.put(e.getKey(), value);
            bytes += size;
            entries++;
        }
        return builder.build();
    }

    /** Baggage entries as inheritable attributes, converted (masked, cut) as any attribute is. */
    private Map<String, JsonNode> fromBaggage(Baggage bag) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        bag.forEach((key, entry) -> {
            if (out.size() < MAX_BAGGAGE_ENTRIES) {
                out.put(key, converter.toJson(key, entry.getValue()));
            }
        });
        return out;
    }
}
