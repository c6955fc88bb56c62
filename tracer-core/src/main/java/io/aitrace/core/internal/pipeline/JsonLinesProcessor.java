package io.aitrace.core.internal.pipeline;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.JsonLineEncoder;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import io.aitrace.core.target.Target;
import java.io.IOException;
import java.util.List;

/**
 * Encodes each record once as a JSON line and hands the same bytes to every byte {@link Target} (file, stdout,
 * collector, the user's own). A target that fails is reported once and counted; the others go on.
 */
public final class JsonLinesProcessor implements RecordProcessor {
    private final List<Target> targets;
    private final long[] targetFailures;
    /** Encodes every record into one reused buffer, handed to the targets without a copy. */
    private final JsonLineEncoder line = new JsonLineEncoder();
    private long encodeFailures;

    public JsonLinesProcessor(List<Target> targets) {
        this.targets = List.copyOf(targets);
        this.targetFailures = new long[this.targets.size()];
    }

    /** The byte targets, in the order they get each line. */
    public List<Target> targets() {
        return targets;
    }

    @Override
    public void onStart(SpanRecord span) {
        writeSpan(span);
    }

    @Override
    public void onSnapshot(SpanRecord span) {
        writeSpan(span);
    }

    @Override
    public void onEnd(SpanRecord span) {
        writeSpan(span);
    }

    @Override
    public void onLog(LogRecord log) {
        write(log);
    }

    @Override
    public void onEvaluation(EvaluationRecord evaluation) {
        write(evaluation);
    }

    @Override
    public void onOther(TraceRecord record) {
        write(record);
    }

    /** Spans take a path of their own, so code compiled for a stream of spans never meets another type. */
    private void writeSpan(SpanRecord span) {
        try {
            line.encodeSpan(span);
        } catch (IOException | RuntimeException e) {
            failedToEncode(span, e);
            return;
        }
        send();
    }

    private void write(TraceRecord record) {
        try {
            line.encode(record);
        } catch (IOException | RuntimeException e) {
            failedToEncode(record, e);
            return;
        }
        send();
    }

    private void failedToEncode(TraceRecord record, Exception e) {
        if (encodeFailures++ == 0) {
            Diagnostics.warn("cannot encode a " + record.getClass().getSimpleName() + ", skipping it", e);
        }
    }

    /** Hands the encoded line to every target. */
    private void send() {
        for (int i = 0; i < targets.size(); i++) {
            try {
                targets.get(i).write(line.bytes(), 0, line.size());
            } catch (IOException | RuntimeException e) {
                if (targetFailures[i]++ == 0) {
                    Diagnostics.warn("cannot write to " + targets.get(i).describe()
                            + "; its records are lost until it recovers", e);
                }
            }
        }
    }

    @Override
    public void flush() {
        for (int i = 0; i < targets.size(); i++) {
            try {
                targets.get(i).flush();
            } catch (IOException | RuntimeException e) {
                if (targetFailures[i]++ == 0) {
                    Diagnostics.warn("cannot flush " + targets.get(i).describe(), e);
                }
            }
        }
    }

    /** Closes every target, then reports the records each one lost. */
    @Override
    public void close() {
        for (Target target : targets) {
            try {
                target.close();
            } catch (IOException | RuntimeException e) {
                Diagnostics.warn("cannot close " + target.describe(), e);
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            if (targetFailures[i] > 0) {
                Diagnostics.warn(targetFailures[i] + " records could not be written to " + targets.get(i).describe());
            }
        }
    }

    @Override
    public String describe() {
        return "JSON lines to " + targets.size() + " targets";
    }
}
