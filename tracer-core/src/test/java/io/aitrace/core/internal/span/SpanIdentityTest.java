package io.aitrace.core.internal.span;

import static org.assertj.core.api.Assertions.assertThat;

import io.aitrace.core.record.SpanRecord;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

class SpanIdentityTest {

    private static String hex(long value) {
        return "%016x".formatted(value);
    }

    /** The numbers a JSON-lines encoder writes the IDs from are the numbers the ID strings are the hex of. */
    private static void assertNumbersAreTheIds(SpanContext ids, String parentSpanId) {
        SpanRecord.IdNumbers numbers = SpanIdentity.numbersOf(ids);
        assertThat(numbers).isNotNull();
        assertThat(hex(numbers.traceHigh()) + hex(numbers.traceLow())).isEqualTo(ids.getTraceId());
        assertThat(hex(numbers.span())).isEqualTo(ids.getSpanId());
        assertThat(numbers.parent() == 0 ? null : hex(numbers.parent())).isEqualTo(parentSpanId);
    }

    @Test
    void aRootAndItsDescendantsCarryTheNumbersOfTheirIds() {
        SpanContext root = SpanIdentity.childOf(SpanContext.getInvalid());
        assertNumbersAreTheIds(root, null);
        SpanContext child = SpanIdentity.childOf(root);
        assertThat(child.getTraceId()).isEqualTo(root.getTraceId());
        assertNumbersAreTheIds(child, root.getSpanId());
        assertNumbersAreTheIds(SpanIdentity.childOf(child), child.getSpanId());
    }

    @Test
    void aChildOfARemoteParentReadsTheParentsNumbersFromItsHex() {
        SpanContext remote = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        SpanContext child = SpanIdentity.childOf(remote);
        assertThat(child.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertNumbersAreTheIds(child, "00f067aa0ba902b7");
        SpanContext highBits = SpanContext.createFromRemoteParent("ffffffffffffffff8000000000000000",
                "8000000000000001", TraceFlags.getSampled(), TraceState.getDefault());
        assertNumbersAreTheIds(SpanIdentity.childOf(highBits), "8000000000000001");
    }

    @Test
    void idsMadeElsewhereHaveNoNumbers() {
        SpanContext sdk = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        assertThat(SpanIdentity.numbersOf(sdk)).isNull();
    }
}
