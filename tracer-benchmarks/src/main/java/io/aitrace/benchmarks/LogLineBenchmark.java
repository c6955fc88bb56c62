package io.aitrace.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.AppenderAttachable;
import io.aitrace.NodeType;
import io.aitrace.Span;
import io.aitrace.core.TracerConfig;
import io.aitrace.core.TracerRuntime;
import io.aitrace.logback.TraceContextAppender;
import io.aitrace.logback.TraceJsonEncoder;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.logback.mdc.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Benchmark 3, a log line with trace IDs: {@code log.info} inside a span, written synchronously (nothing can be
 * dropped) as one JSON line to a file by a Logback {@code FileAppender} (8 KB buffer, no flush per event, the
 * same for every variant). aitrace's {@link TraceContextAppender} is measured with logstash-logback-encoder
 * (the same encoder as the baseline, so only the ID stamping differs) and with aitrace's own
 * {@link TraceJsonEncoder}; the baselines are OpenTelemetry's logback-mdc {@code OpenTelemetryAppender} with
 * logstash-logback-encoder inside an OpenTelemetry SDK span, plain Logback with no IDs, and plain Logback with the
 * three IDs put in the thread's MDC once beforehand (what writing the IDs costs the encoder, with no stamping).
 *
 * <p>The {@code …StampOnly} variants measure the part the two appenders differ in, without the encoder and file
 * that are the same for both and make up most of a line: each appender in front of {@link MdcReader}, which reads
 * every MDC entry of the event (what an encoder does with them) and writes nothing; the floor is the same reader
 * with the IDs already in the thread's MDC and no appender in front.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogLineBenchmark {

    /** One logger per variant, each with its own file; the span is opened on the benchmark thread. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Loggers {
        Path dir;
        TracerRuntime runtime;
        SdkTracerProvider otel;
        Logger aitraceLogstash;
        Logger aitraceJson;
        Logger otelLogstash;
        Logger plainLogstash;
        Logger aitraceStampOnly;
        Logger otelStampOnly;
        Logger plainStampOnly;
        Span aitraceSpan;
        io.opentelemetry.api.trace.Span otelSpan;
        Scope otelScope;

        @Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void start() {
            dir = Workload.tempDir("log");
            // TraceJsonEncoder masks and cuts with the global runtime's settings; spans go nowhere.
            runtime = TracerRuntime.install(TracerConfig.builder().target("none").serviceName("bench").build());
            otel = SpanOverheadBenchmark.sdk(SimpleSpanProcessor.create(new DiscardingSpanExporter()));
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            aitraceLogstash = logger(context, "aitrace-logstash", new TraceContextAppender(), new LogstashEncoder());
            aitraceJson = logger(context, "aitrace-json", new TraceContextAppender(), new TraceJsonEncoder());
            otelLogstash = logger(context, "otel-logstash", new OpenTelemetryAppender(), new LogstashEncoder());
            plainLogstash = logger(context, "plain-logstash", null, new LogstashEncoder());
            aitraceStampOnly = logger(context, "aitrace-stamp", new TraceContextAppender(), new MdcReader());
            otelStampOnly = logger(context, "otel-stamp", new OpenTelemetryAppender(), new MdcReader());
            plainStampOnly = logger(context, "plain-stamp", null, new MdcReader());
            Drops.source = () -> 0; // synchronous appenders: every event is written
        }

        private <W extends Appender<ILoggingEvent> & AppenderAttachable<ILoggingEvent>> Logger logger(
                LoggerContext context, String name, W wrapper, Encoder<ILoggingEvent> encoder) {
            encoder.setContext(context);
            encoder.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(context);
            file.setName(name + "-file");
            file.setFile(dir.resolve(name + ".jsonl").toString());
            file.setAppend(false);
            file.setImmediateFlush(false);
            file.setEncoder(encoder);
            file.start();
            return logger(context, name, wrapper, file);
        }

        private <W extends Appender<ILoggingEvent> & AppenderAttachable<ILoggingEvent>> Logger logger(
                LoggerContext context, String name, W wrapper, Appender<ILoggingEvent> end) {
            if (!end.isStarted()) {
                end.setContext(context);
                end.setName(name + "-end");
                end.start();
            }
            Appender<ILoggingEvent> top = end;
            if (wrapper != null) {
                wrapper.setContext(context);
                wrapper.setName(name);
                wrapper.addAppender(end);
                wrapper.start();
                top = wrapper;
            }
            ch.qos.logback.classic.Logger logger = context.getLogger("bench." + name);
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
            logger.addAppender(top);
            return logger;
        }

        void inAitraceSpan() {
            if (aitraceSpan == null) {
                aitraceSpan = runtime.tracer("bench").span("weather_agent", NodeType.AGENT);
            }
        }

        void inOtelSpan() {
            if (otelSpan == null) {
                otelSpan = otel.get("bench").spanBuilder("weather_agent").startSpan();
                otelScope = otelSpan.makeCurrent();
            }
        }

        @TearDown(org.openjdk.jmh.annotations.Level.Trial)
        public void stop() {
            if (aitraceSpan != null) {
                aitraceSpan.close();
            }
            if (otelScope != null) {
                otelScope.close();
                otelSpan.end();
            }
            ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
            otel.shutdown().join(5, TimeUnit.SECONDS);
            runtime.close();
            Workload.delete(dir);
        }
    }

    @Benchmark
    public void aitraceContextAppenderLogstash(Loggers state, Drops drops) {
        state.inAitraceSpan();
        state.aitraceLogstash.info("calling model {}", Workload.MODEL);
    }

    @Benchmark
    public void aitraceContextAppenderTraceJson(Loggers state, Drops drops) {
        state.inAitraceSpan();
        state.aitraceJson.info("calling model {}", Workload.MODEL);
    }

    @Benchmark
    public void otelLogbackMdcLogstash(Loggers state, Drops drops) {
        state.inOtelSpan();
        state.otelLogstash.info("calling model {}", Workload.MODEL);
    }

    /** The three ID entries in the benchmark thread's MDC, put once, as if some other code had put them. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class IdsInMdc {
        @Setup(org.openjdk.jmh.annotations.Level.Trial)
        public void put() {
            MDC.put("trace_id", "0af7651916cd43dd8448eb211c80319c");
            MDC.put("span_id", "b7ad6b7169203331");
            MDC.put("trace_flags", "01");
        }

        @TearDown(org.openjdk.jmh.annotations.Level.Trial)
        public void clear() {
            MDC.clear();
        }
    }

    @Benchmark
    public void plainLogbackIdsAlreadyInMdc(Loggers state, IdsInMdc ids, Drops drops) {
        state.plainLogstash.info("calling model {}", Workload.MODEL);
    }

    @Benchmark
    public void plainLogbackNoIds(Loggers state, Drops drops) {
        state.plainLogstash.info("calling model {}", Workload.MODEL);
    }

    /**
     * Reads every entry of an event's MDC, key and value, as an encoder does, and writes nothing: behind an
     * appender that stamps IDs, it leaves the stamping's cost and what the IDs cost to read.
     */
    static final class MdcReader extends UnsynchronizedAppenderBase<ILoggingEvent> {
        /** Read by nobody; keeps the JIT from dropping the reads. */
        long characters;

        @Override
        protected void append(ILoggingEvent event) {
            for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
                characters += entry.getKey().length() + entry.getValue().length();
            }
        }
    }

    @Benchmark
    public void aitraceStampOnly(Loggers state, Drops drops) {
        state.inAitraceSpan();
        state.aitraceStampOnly.info("calling model {}", Workload.MODEL);
    }

    @Benchmark
    public void otelStampOnly(Loggers state, Drops drops) {
        state.inOtelSpan();
        state.otelStampOnly.info("calling model {}", Workload.MODEL);
    }

    @Benchmark
    public void plainStampOnlyIdsAlreadyInMdc(Loggers state, IdsInMdc ids, Drops drops) {
        state.plainStampOnly.info("calling model {}", Workload.MODEL);
    }
}
