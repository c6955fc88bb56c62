package io.aitrace.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aitrace.core.text.TextFit;
import io.aitrace.core.read.TraceReader;
import io.aitrace.core.cost.Cost;
import io.aitrace.core.cost.PriceTable;
import io.aitrace.core.genai.Messages;
import io.aitrace.read.Node;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code /api/traces} tells about each trace besides its counts: its cost (computed at read time from its
 * spans' tokens and the price table, the sum {@link TraceTotals#usage} also gives the trace's totals), what it was asked (its input summary) and its evaluations; and the
 * {@code eval=NAME<0.5} filter.
 */
final class TraceAnswers {
    private static final Pattern EVAL = Pattern.compile("\\s*([^<>=!]+?)\\s*(<=|>=|!=|<|>|=)\\s*(.+?)\\s*");
    private static final int SUMMARY_LENGTH = 200;
    private static volatile PriceTable prices;

    private TraceAnswers() {
    }

    /** The price table, read once: the bundled one under the user's. */
    static PriceTable prices() {
        PriceTable table = prices;
        if (table == null) {
            table = PriceTable.load();
            prices = table;
        }
        return table;
    }

    /**
     * Adds one condition per {@code eval} parameter: {@code faithfulness<0.5} compares the score (with
     * {@code <, <=, >, >=, =, !=}), {@code relevance=relevant} or {@code !=} the label. A trace matches when one of
     * its spans has such an evaluation, recorded on the span or sent later.
     */
    static void filterByEvaluations(List<String> conditions, StringBuilder where, List<Object> args) {
        for (String condition : conditions) {
            Matcher m = EVAL.matcher(condition);
            if (!m.matches()) {
                throw new ApiException(400, "eval must be NAME<NUMBER (or <=, >, >=, =, !=) or NAME=LABEL, not '"
                        + condition + "'");
            }
            String name = m.group(1);
            String op = m.group(2);
            Double number = number(m.group(3));
            if (number == null && !op.equals("=") && !op.equals("!=")) {
                throw new ApiException(400, "eval " + condition + ": " + op + " needs a number, not '" + m.group(3) + "'");
            }
            String column = number == null ? "label" : "score";
            where.append(" AND (EXISTS (SELECT 1 FROM evaluations e WHERE e.trace_id = t.trace_id AND e.name = ?"
                    + " AND e.").append(column).append(' ').append(op).append(" ?)"
                    + " OR EXISTS (SELECT 1 FROM spans s, json_each(s.record, '$.evaluations') j"
                    + " WHERE s.trace_id = t.trace_id AND json_extract(j.value, '$.name') = ?"
                    + " AND json_extract(j.value, '$.").append(column).append("') ").append(op).append(" ?))");
            Object value = number != null ? number : m.group(3);
            args.add(name);
            args.add(value);
            args.add(name);
            args.add(value);
        }
    }

    /**
     * Above this many spans a trace's span answers (cost, input summary, evaluations recorded on its spans) are not
     * computed while a list request waits: they read every span row, about 5 µs a span (0.5 s for 100,000 spans,
     * 5.8 s for a million). Below it they cost at most about 10 ms, once per state of the trace.
     */
    static final int INLINE_SPANS = 2_000;

    /**
     * What a trace's spans tell the list (cost, input summary, the evaluations recorded on the spans), for one state
     * of the trace ({@code stamp}: its summary row's {@code updated_us} and {@code span_count}, which every stored
     * span changes). {@code evaluations} maps a name to {sum of scores, scored, count} and {@code labels} a name to
     * its last label, in record order.
     */
    record SpanAnswers(String stamp, TraceTotals.Usage usage, String inputSummary,
            Map<String, double[]> evaluations, Map<String, String> labels) {
    }

    /** The stamp of a trace's span answers, from its summary row's columns. */
    static String stamp(long updatedUs, long spanCount) {
        return updatedUs + "/" + spanCount;
    }

    /**
     * Adds {@code cost_usd}, {@code cost_complete}, {@code input_summary}, {@code evaluations} and {@code answers}
     * to each row. {@code stamps} holds each row's {@link #stamp}. A trace's span answers are kept per state
     * ({@link KeptTraces}); those of a trace above {@link #INLINE_SPANS} spans are computed on the collector's
     * background thread, and until they are ready its row says {@code "answers": "pending"} and carries those of an
     * earlier state of the trace (or none). The evaluations sent after their span are read on every request (from
     * their own table, by trace).
     */
    static void addTo(Connection db, KeptTraces kept, ArrayNode rows, List<String> stamps) throws SQLException {
        try (PreparedStatement late = db.prepareStatement(
                "SELECT name, score, label FROM evaluations WHERE trace_id = ? ORDER BY id")) {
            int i = 0;
            for (JsonNode item : rows) {
                ObjectNode row = (ObjectNode) item;
                String traceId = row.path("trace_id").asText();
                String stamp = stamps.get(i++);
                SpanAnswers answers = kept.spanAnswers(traceId, stamp);
                boolean ready = answers != null;
                if (!ready && row.path("span_count").asLong() <= INLINE_SPANS) {
                    answers = kept.spanAnswersNow(db, traceId, stamp);
                    ready = true;
                } else if (!ready) {
                    kept.spanAnswersLater(traceId);
                    answers = kept.spanAnswers(traceId, null); // an earlier state's, or null
                }
                Cost cost = answers == null ? Cost.NONE : answers.usage().cost();
                if (cost.pricedSpans() == 0) {
                    row.putNull("cost_usd");
                } else {
                    row.put("cost_usd", Math.round(cost.usd() * 1e8) / 1e8);
                }
                row.put("cost_complete", answers != null && cost.isComplete());
                row.put("input_summary", answers == null ? null : answers.inputSummary());
                row.set("evaluations", evaluations(late, traceId, answers));
                row.put("answers", ready ? "ready" : "pending");
            }
        }
    }

    /** A trace's span answers, read from its spans. */
    static SpanAnswers compute(Connection db, String traceId, String stamp) throws SQLException {
        TraceTotals.Usage usage = TraceTotals.usage(db, traceId);
        String summary;
        try (PreparedStatement root = db.prepareStatement("SELECT record FROM spans WHERE trace_id = ?"
                     + " AND parent_span_id IS NULL ORDER BY start_us LIMIT 1");
             PreparedStatement asked = db.prepareStatement("SELECT record FROM spans WHERE trace_id = ?"
                     + " AND json_extract(record, '$.attributes.\"gen_ai.input.messages\"') IS NOT NULL"
                     + " ORDER BY start_us LIMIT 1")) {
            summary = inputSummary(root, asked, traceId);
        }
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        // instr first: most spans have no evaluations, and finding the key is cheaper than parsing the record
        // (a trace of 100,000 spans: 0.27 s instead of 0.47 s)
        try (PreparedStatement own = db.prepareStatement("SELECT json_extract(j.value, '$.name'),"
                + " json_extract(j.value, '$.score'), json_extract(j.value, '$.label')"
                + " FROM spans s, json_each(s.record, '$.evaluations') j WHERE s.trace_id = ?"
                + " AND instr(s.record, '\"evaluations\"') > 0")) {
            own.setString(1, traceId);
            try (ResultSet rs = own.executeQuery()) {
                add(rs, scores, labels);
            }
        }
        return new SpanAnswers(stamp, usage, summary, scores, labels);
    }

    private static String inputSummary(PreparedStatement root, PreparedStatement asked, String traceId)
            throws SQLException {
        String summary = null;
        for (String record : strings(root, traceId)) {
            Node node = TraceReader.readRecord(record).span();
            if (node != null && node.input() != null) {
                summary = Messages.valueText(node.input());
            }
        }
        if (summary == null) {
            for (String record : strings(asked, traceId)) {
                Node node = TraceReader.readRecord(record).span();
                summary = node == null ? null : Messages.question(node);
            }
        }
        return summary == null ? null : TextFit.cut(summary, SUMMARY_LENGTH);
    }

    /** Adds each (name, score, label) row to the sums per name and the last label per name. */
    private static void add(ResultSet rs, Map<String, double[]> scores, Map<String, String> labels)
            throws SQLException {
        while (rs.next()) {
            String name = rs.getString(1);
            if (name == null) {
                continue;
            }
            double[] s = scores.computeIfAbsent(name, k -> new double[3]);
            double score = rs.getDouble(2);
            if (!rs.wasNull()) {
                s[0] += score;
                s[1]++;
            }
            s[2]++;
            String label = rs.getString(3);
            if (label != null) {
                labels.put(name, label);
            }
        }
    }

    /**
     * Per evaluation name: the mean score (null when only labels were given), the last label, how many; those
     * recorded on the spans first, then those sent later.
     */
    private static ArrayNode evaluations(PreparedStatement late, String traceId, SpanAnswers answers)
            throws SQLException {
        Map<String, double[]> scores = new LinkedHashMap<>(); // name -> {sum, scored, count}
        Map<String, String> labels = new LinkedHashMap<>();
        if (answers != null) {
            answers.evaluations().forEach((name, s) -> scores.put(name, s.clone()));
            labels.putAll(answers.labels());
        }
        late.setString(1, traceId);
        try (ResultSet rs = late.executeQuery()) {
            add(rs, scores, labels);
        }
        ArrayNode out = RecordJson.MAPPER.createArrayNode();
        scores.forEach((name, s) -> {
            ObjectNode e = out.addObject().put("name", name);
            if (s[1] > 0) {
                e.put("score", Math.round(s[0] / s[1] * 1e4) / 1e4);
            } else {
                e.putNull("score");
            }
            e.put("label", labels.get(name));
            e.put("count", (long) s[2]);
        });
        return out;
    }

    private static List<String> strings(PreparedStatement statement, String traceId) throws SQLException {
        List<String> values = new ArrayList<>();
        statement.setString(1, traceId);
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static Double number(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
