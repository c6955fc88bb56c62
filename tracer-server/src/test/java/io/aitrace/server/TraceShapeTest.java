package io.aitrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trace's shape built from its spans' IDs in start order: the tree, the counts, the ID lookup, the kept shapes. */
class TraceShapeTest {
    @Test
    void aChainAHundredThousandSpansDeepIsBuiltWithoutRecursion() {
        int n = 100_000;
        long[] ids = new long[n];
        long[] parents = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 0x1000_0000_0000_0000L + i;
            parents[i] = i == 0 ? 0 : ids[i - 1];
        }
        TraceShape shape = shape(ids, parents);

        assertThat(shape.roots).containsExactly(0);
        assertThat(shape.depth[n - 1]).isEqualTo(n - 1);
        assertThat(shape.descendants[0]).isEqualTo(n - 1);
        assertThat(shape.descendants[n - 1]).isZero();
        assertThat(shape.order[n - 1]).isEqualTo(n - 1);
        assertThat(shape.id(n - 1)).isEqualTo("100000000001869f");
    }

    @Test
    void spansAreFoundByTheirIdInEitherCaseEvenWhenIdsShareTheirLowBits() {
        int n = 5_000;
        long[] ids = new long[n];
        long[] parents = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (long) (i + 1) << 40 | 0xabcdL; // the same low 40 bits for every span
            parents[i] = i == 0 ? 0 : ids[(i - 1) / 3];
        }
        TraceShape shape = shape(ids, parents);

        for (int i = 0; i < n; i++) {
            assertThat(shape.indexOf(shape.id(i))).isEqualTo(i);
        }
        assertThat(shape.id(4_999)).isEqualTo("001388000000abcd");
        assertThat(shape.indexOf("001388000000ABCD")).isEqualTo(4_999);
        assertThat(shape.indexOf("001389000000abcd")).isEqualTo(-1);
        assertThat(shape.indexOf("not a span id")).isEqualTo(-1);
        assertThat(shape.indexOf("0000000000000000")).isEqualTo(-1);
        assertThat(shape.descendants[0]).isEqualTo(n - 1);
        assertThat(shape.childCounts[0]).isEqualTo(3);
    }

    @Test
    void childrenAreInStartOrderAndTheTreeOrderIsDepthFirst() {
        // 0 ─┬─ 1 ── 3
        //    └─ 2 ── 4 ── 5      and 6, whose parent was never stored, is a second root
        long[] ids = {10, 11, 12, 13, 14, 15, 16};
        long[] parents = {0, 10, 10, 11, 12, 14, 99};
        TraceShape shape = shape(ids, parents);

        assertThat(shape.roots).containsExactly(0, 6);
        assertThat(shape.order).containsExactly(0, 1, 3, 2, 4, 5, 6);
        assertThat(children(shape, 0)).containsExactly(1, 2);
        assertThat(shape.siblingIndex[2]).isEqualTo(1);
        assertThat(shape.siblingIndex[6]).isEqualTo(1);
        assertThat(shape.descendants).containsExactly(5, 1, 2, 0, 1, 0, 0);
        assertThat(shape.position()).containsExactly(0, 1, 3, 2, 4, 5, 6);
        assertThat(shape.parent).containsExactly(-1, 0, 0, 1, 2, 4, -1);
    }

    @Test
    void aParentLoopIsCutAtItsEarliestSpan() {
        long[] ids = {20, 21, 22};
        long[] parents = {22, 20, 21};
        TraceShape shape = shape(ids, parents);

        assertThat(shape.roots).containsExactly(0);
        assertThat(shape.order).containsExactly(0, 1, 2);
        assertThat(shape.descendants[0]).isEqualTo(2);
    }

    @Test
    void keptShapesStayWithinTheirBytesDroppingTheLeastRecentlyUsedButNeverTheNewest() {
        TraceShape small = shape(new long[] {1}, new long[] {0});
        TraceShape big = shape(chain(10_000), new long[10_000]);
        assertThat(big.bytes()).isBetween(10_000L * 60, 10_000L * TraceShape.BYTES_PER_SPAN);

        Map<String, TraceShape> kept = new LinkedHashMap<>(8, 0.75f, true);
        kept.put("a", small);
        kept.put("b", small);
        kept.put("c", big);
        TraceShape.keepWithin(kept, 3, big.bytes() + small.bytes());
        assertThat(kept).containsOnlyKeys("b", "c");

        kept.put("d", big);
        TraceShape.keepWithin(kept, 3, 1);
        assertThat(kept).containsOnlyKeys("d");

        kept.put("e", small);
        kept.put("f", small);
        kept.get("d");
        kept.put("g", small);
        TraceShape.keepWithin(kept, 3, Long.MAX_VALUE);
        assertThat(kept).containsOnlyKeys("f", "d", "g");
    }

    private static long[] chain(int n) {
        long[] ids = new long[n];
        Arrays.setAll(ids, i -> i + 1L);
        return ids;
    }

    private static int[] children(TraceShape shape, int span) {
        return Arrays.copyOfRange(shape.children, shape.childStart[span],
                shape.childStart[span] + shape.childCounts[span]);
    }

    private static TraceShape shape(long[] ids, long[] parents) {
        int n = ids.length;
        long[] starts = new long[n];
        Arrays.setAll(starts, i -> 1_000L * i);
        return new TraceShape("", n, ids, parents, starts, starts, new boolean[n]);
    }
}
