package io.aitrace.read;

import java.time.Instant;

/**
 * An evaluation result on a span, read back from a trace: a {@code gen_ai.evaluation.result} of the GenAI
 * conventions, set in code with {@code span.evaluate(...)} or sent later by an evaluator as an evaluation record.
 *
 * @param timestamp when it was made, or null if the record had none
 * @param name what was evaluated, e.g. {@code faithfulness}
 * @param score the score, or null when only a label was given
 * @param label the verdict, e.g. {@code pass}, or null
 * @param explanation why, or null
 */
public record Evaluation(Instant timestamp, String name, Double score, String label, String explanation) {
}
