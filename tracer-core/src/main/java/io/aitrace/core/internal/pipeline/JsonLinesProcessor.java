package io.aitrace.core.internal.pipeline;

import io.aitrace.core.internal.Diagnostics;
import io.aitrace.core.pipeline.RecordProcessor;
import io.aitrace.core.record.EvaluationRecord;
import io.aitrace.core.record.LogRecord;
import io.aitrace.core.record.SpanRecord;
import io.aitrace.core.record.TraceRecord;
import io.aitrace.core.target.Target;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Encodes each record once as a JSON line and hands the same bytes to every byte {@link Target} (file, stdout,
 * collector, the user's own). A target that fails is reported once and counted; the others go on.
 */
public final class JsonLinesProcessor implements RecordProcessor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Target> targets;
    private final long[] targetFailures;
    private final LineBuffer line = new LineBuffer();
    /** The generator every record is encoded with, over {@link #line}; null until first used or after a failure. */
    private JsonGenerator json;
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
        write(span);
    }

    @Override
    public void onSnapshot(SpanRecord span) {
        write(span);
    }

    @Override
    public void onEnd(SpanRecord span) {
        write(span);
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

    private void write(TraceRecord record) {
        line.reset();
        try {
            if (json == null) {
                json = JSON.getFactory().createGenerator(line);
                json.setRootValueSeparator(null); // one object per line: no space before the next one
            }
            record.writeTo(json);
            json.flush();
        } catch (IOException | RuntimeException e) {
            json = null; // its state is unknown after a failure; the next record gets a new one
            if (encodeFailures++ == 0) {
                Diagnostics.warn("cannot encode a " + record.getClass().getSimpleName() + ", skipping it", e);
            }
            return;
        }
        line.write('\n');
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

    /** The encoding buffer, reused for every record, handed to targets without a copy. */
    private static final class LineBuffer extends ByteArrayOutputStream {
        LineBuffer() {
            super(1024);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
