package io.aitrace.core.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import org.junit.jupiter.api.Test;

/** Times a trace cannot have make their record unreadable, not the reader or the records around it. */
class TraceReaderTimesTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static String span(String spanId, String name, String start, String end) {
        return "{\"v\":1,\"type\":\"span\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + spanId + "\",\"name\":\""
                + name + "\",\"start\":" + start + ",\"end\":" + end + "}";
    }

    @Test
    void aSpanStartingInYearOneIsSkippedWithItsReason() {
        TraceGraph graph = TraceReader.parse(String.join("\n",
                span("00f067aa0ba902b7", "kept", "\"2026-11-21T18:00:00Z\"", "\"2026-11-21T18:00:01Z\""),
                span("b7ad6b7169203331", "go zero time", "\"0001-01-01T00:00:00Z\"", "\"2026-11-21T18:00:01Z\"")));

        assertThat(graph.nodes()).extracting(Node::name).containsExactly("kept");
        assertThat(graph.problems()).containsExactly(
                "line 2: start 0001-01-01T00:00:00Z is out of range (1970 to 2262)");
    }

    @Test
    void epochSecondsFarOutOfRangeAreSkippedWithTheirReason() {
        TraceReader.ParsedRecord huge = TraceReader.readRecord(span("00f067aa0ba902b7", "x", "1e308", "null"));
        TraceReader.ParsedRecord negative = TraceReader.readRecord(span("00f067aa0ba902b7", "x", "1", "-1e308"));
        TraceReader.ParsedRecord wide = TraceReader.readRecord(
                span("00f067aa0ba902b7", "x", "1000000000000000000000000000000", "null"));

        assertThat(huge.problem()).isEqualTo("start 1.0E308 is out of range (1970 to 2262)");
        assertThat(negative.problem()).isEqualTo("end -1.0E308 is out of range (1970 to 2262)");
        assertThat(wide.problem()).isEqualTo("start 1000000000000000000000000000000 is out of range (1970 to 2262)");
    }

    @Test
    void theLastMicrosecondOf2262StillReads() {
        TraceReader.ParsedRecord last = TraceReader.readRecord(
                span("00f067aa0ba902b7", "x", "\"1970-01-01T00:00:00Z\"", "\"2262-04-11T23:47:16.854775Z\""));

        assertThat(last.problem()).isNull();
        assertThat(last.span().durationMs()).isPositive();
    }
}
