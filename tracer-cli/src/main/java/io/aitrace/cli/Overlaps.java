package io.aitrace.cli;

import io.aitrace.Node;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Which siblings ran at the same time as another sibling: the parallel branches of a fan-out. */
final class Overlaps {
    private Overlaps() {
    }

    /**
     * The siblings whose run overlaps another's ({@code [start, end)} intervals; spans that touch end to start are
     * sequential). Spans without an end (still running, or crashed) are never counted as parallel.
     *
     * @param siblings in start order, as {@link Node#children()} gives them
     */
    static Set<Node> of(List<Node> siblings) {
        Set<Node> parallel = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < siblings.size(); i++) {
            Node a = siblings.get(i);
            if (a.start() == null || a.end() == null) {
                continue;
            }
            for (int j = i + 1; j < siblings.size(); j++) {
                Node b = siblings.get(j);
                if (b.start() == null || !b.start().isBefore(a.end())) {
                    break; // in start order: no later sibling starts before a ends either
                }
                if (b.end() != null && a.start().isBefore(b.end())) {
                    parallel.add(a);
                    parallel.add(b);
                }
            }
        }
        return parallel;
    }
}
