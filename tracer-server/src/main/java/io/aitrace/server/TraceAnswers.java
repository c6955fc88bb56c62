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

    /** Adds {@code cost_usd}, {@code cost_complete}, {@code input_summary} and {@code evaluations} to each row. */
    static void addTo(Connection db, ArrayNode rows) throws SQLException {
        try (PreparedStatement root = db.prepareStatement("SELECT record FROM spans WHERE trace_id = ?"
                     + " AND parent_span_id IS NULL ORDER BY start_us LIMIT 1");
             PreparedStatement asked = db.prepareStatement("SELECT record FROM spans WHERE trace_id = ?"
                     + " AND json_extract(record, '$.attributes.\"gen_ai.input.messages\"') IS NOT NULL"
                     + " ORDER BY start_us LIMIT 1");
             // instr first: most spans have no evaluations, and finding the key is cheaper than parsing the record
             // (a trace of 100,000 spans: 0.27 s instead of 0.47 s)
             PreparedStatement evaluations = db.prepareStatement("SELECT json_extract(j.value, '$.name'),"
                     + " json_extract(j.value, '$.score'), json_extract(j.value, '$.label')"
                     + " FROM spans s, json_each(s.record, '$.evaluations') j WHERE s.trace_id = ?1"
                     + " AND instr(s.record, '\"evaluations\"') > 0"
                     + " UNION ALL SELECT name, score, label FROM evaluations WHERE trace_id = ?1")) {
            for (JsonNode item : rows) {
                ObjectNode row = (ObjectNode) item;
                String traceId = row.path("trace_id").asText();
                Cost cost = TraceTotals.usage(db, traceId).cost();
                if (cost.pricedSpans() == 0) {
                    row.putNull("cost_usd");
                } else {
                    row.put("cost_usd", Math.round(cost.usd() * 1e8) / 1e8);
                }
                row.put("cost_complete", cost.isComplete());
                row.put("input_summary", inputSummary(root, asked, traceId));
                row.set("evaluations", evaluations(evaluations, traceId));
            }
        }
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

    /** Per evaluation name: the mean score (null when only labels were given), the last label, how many. */
    private static ArrayNode evaluations(PreparedStatement statement, String traceId) throws SQLException {
        Map<String, double[]> scores = new LinkedHashMap<>(); // name -> {sum, scored, count}
        Map<String, String> labels = new LinkedHashMap<>();
        statement.setString(1, traceId);
        try (ResultSet rs = statement.executeQuery()) {
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
