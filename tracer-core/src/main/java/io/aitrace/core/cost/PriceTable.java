package io.aitrace.core.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aitrace.core.internal.Diagnostics;
import io.aitrace.genai.GenAi;
import io.aitrace.read.Node;
import io.aitrace.read.TraceGraph;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Model prices and the cost of spans: computed at read time from a span's token counts
 * ({@code gen_ai.usage.*}) and its model ({@code gen_ai.response.model}, else {@code gen_ai.request.model}).
 * The bundled table covers common OpenAI, Anthropic, Google, Mistral and open-weight models; a user's table
 * ({@code -Daitrace.prices=FILE}, {@code AITRACE_PRICES=FILE}, or {@code ~/.config/aitrace/prices.json}) is
 * consulted first.
 *
 * <pre>{@code
 * PriceTable prices = PriceTable.load();
 * Cost run = prices.cost(graph);                       // the whole trace
 * String column = prices.subtreeCost(node).format();   // "$0.0123", "no price", ...
 * }</pre>
 *
 * Input tokens count cached ones too, as the GenAI conventions say; when a span reports fewer input tokens than
 * cached ones (a provider that counts them apart), its input tokens are taken as the uncached ones. Reasoning
 * tokens are treated the same way against output tokens.
 */
public final class PriceTable {
    /** The bundled table's resource, shared with the web viewer. */
    public static final String BUNDLED_RESOURCE = "io/aitrace/viewer/prices.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile PriceTable bundled;

    private final List<List<ModelPrice>> layers; // first layer first: a user's table before the bundled one
    private final List<String> sources;

    private PriceTable(List<List<ModelPrice>> layers, List<String> sources) {
        this.layers = List.copyOf(layers);
        this.sources = List.copyOf(sources);
    }

    /** The bundled table alone. */
    public static PriceTable bundled() {
        PriceTable table = bundled;
        if (table == null) {
            try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled price table " + BUNDLED_RESOURCE + " is missing");
                }
                table = new PriceTable(List.of(prices(JSON.readTree(in))), List.of("bundled"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the bundled price table: " + e.getMessage(), e);
            }
            bundled = table;
        }
        return table;
    }

    /**
     * The bundled table under the user's: the file named by {@code aitrace.prices} (system property) or
     * {@code AITRACE_PRICES} (environment), else {@code ~/.config/aitrace/prices.json} when it exists; the value
     * {@code bundled} means the bundled table alone. A file that cannot be read is reported on stderr and left out.
     */
    public static PriceTable load() {
        String named = System.getProperty("aitrace.prices");
        if (named == null || named.isBlank()) {
            named = System.getenv("AITRACE_PRICES");
        }
        if ("bundled".equals(named)) {
            return bundled();
        }
        Path file = named == null || named.isBlank()
                ? Paths.get(System.getProperty("user.home"), ".config", "aitrace", "prices.json")
                : Paths.get(named.startsWith("~/") ? System.getProperty("user.home") + named.substring(1) : named);
        if (!Files.exists(file) && (named == null || named.isBlank())) {
            return bundled();
        }
        try {
            return bundled().over(read(file));
        } catch (IOException | IllegalArgumentException e) {
            Diagnostics.warn("price table " + file + " is not used: " + e.getMessage());
            return bundled();
        }
    }

    /** A table read from a prices file (the bundled table's format), alone. */
    public static PriceTable read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        return parse(Files.readString(file), file.toString());
    }

    /**
     * A table from the text of a prices file: {@code {"models": {"gpt-4o-mini*": {"input": 0.15, "output": 0.6,
     * "cached_input": 0.075}}}}, prices in US dollars per million tokens.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static PriceTable parse(String json, String name) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return new PriceTable(List.of(prices(root)), List.of(name));
    }

    /** This table with {@code first} consulted before it. */
    public PriceTable over(PriceTable first) {
        List<List<ModelPrice>> all = new ArrayList<>(first.layers);
        all.addAll(layers);
        List<String> names = new ArrayList<>(first.sources);
        names.addAll(sources);
        return new PriceTable(all, names);
    }

    /** The table as the viewer reads it: {@code {"layers": [{"models": {...}}, ...]}}, first layer first. */
    public String toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode array = root.putArray("layers");
        for (List<ModelPrice> layer : layers) {
            com.fasterxml.jackson.databind.node.ObjectNode models = array.addObject().putObject("models");
            for (ModelPrice price : layer) {
                com.fasterxml.jackson.databind.node.ObjectNode entry = models.putObject(price.pattern());
                entry.put("input", price.input());
                entry.put("output", price.output());
                if (price.cachedInput() != null) {
                    entry.put("cached_input", price.cachedInput());
                }
                if (price.cacheWrite() != null) {
                    entry.put("cache_write", price.cacheWrite());
                }
                if (price.reasoning() != null) {
                    entry.put("reasoning", price.reasoning());
                }
            }
        }
        return root.toString();
    }

    /**
     * The price of a model: the most specific matching pattern of the first table that has one. A
     * {@code provider/} prefix ({@code openai/gpt-4o}, {@code models/gemini-2.5-pro}) is ignored.
     */
    public Optional<ModelPrice> priceOf(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = model.trim().toLowerCase(Locale.ROOT);
        name = name.substring(name.lastIndexOf('/') + 1);
        for (List<ModelPrice> layer : layers) {
            ModelPrice best = null;
            for (ModelPrice price : layer) {
                if (price.matches(name) && (best == null || price.specificity() > best.specificity())) {
                    best = price;
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /** The model a span's cost is keyed by: {@code gen_ai.response.model}, else {@code gen_ai.request.model}. */
    public static String modelOf(Node node) {
        Object model = node.attribute(GenAi.RESPONSE_MODEL);
        if (model == null || model.toString().isBlank()) {
            model = node.attribute(GenAi.REQUEST_MODEL);
        }
        return model == null || model.toString().isBlank() ? null : model.toString();
    }

    /** The cost of this span alone: {@link Cost#NONE} without tokens. */
    public Cost cost(Node node) {
        long input = node.count(GenAi.USAGE_INPUT_TOKENS);
        long output = node.count(GenAi.USAGE_OUTPUT_TOKENS);
        long cacheRead = node.count(GenAi.USAGE_CACHE_READ_INPUT_TOKENS);
        long cacheWrite = node.count(GenAi.USAGE_CACHE_CREATION_INPUT_TOKENS);
        long reasoning = node.count(GenAi.USAGE_REASONING_OUTPUT_TOKENS);
        if (input + output + cacheRead + cacheWrite + reasoning <= 0) {
            return Cost.NONE;
        }
        String model = modelOf(node);
        Optional<ModelPrice> found = priceOf(model);
        if (found.isEmpty()) {
            return Cost.unpriced(model);
        }
        ModelPrice price = found.get();
        long uncached = input >= cacheRead + cacheWrite ? input - cacheRead - cacheWrite : input;
        long visible = output >= reasoning ? output - reasoning : output;
        double perMillion = uncached * price.input()
                + cacheRead * orElse(price.cachedInput(), price.input())
                + cacheWrite * orElse(price.cacheWrite(), price.input())
                + visible * price.output()
                + reasoning * orElse(price.reasoning(), price.output());
        return Cost.priced(perMillion / 1_000_000.0);
    }

    /** The cost of this span and every span below it. */
    public Cost subtreeCost(Node node) {
        Cost total = Cost.NONE;
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(node);
        while (!pending.isEmpty()) {
            Node next = pending.pop();
            total = total.plus(cost(next));
            next.children().forEach(pending::push);
        }
        return total;
    }

    /** The cost of every span of the graph. */
    public Cost cost(TraceGraph graph) {
        Cost total = Cost.NONE;
        for (Node node : graph.nodes()) {
            total = total.plus(cost(node));
        }
        return total;
    }

    /** Where the prices come from, first consulted first: file names, and {@code bundled}. */
    public List<String> sources() {
        return sources;
    }

    private static double orElse(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static List<ModelPrice> prices(JsonNode root) {
        JsonNode models = root.path("models");
        if (!models.isObject()) {
            throw new IllegalArgumentException("expected an object \"models\" of model name patterns to prices");
        }
        List<ModelPrice> prices = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String pattern = entry.getKey();
            JsonNode price = entry.getValue();
            prices.add(new ModelPrice(pattern, required(price, "input", pattern), required(price, "output", pattern),
                    optional(price, "cached_input", pattern), optional(price, "cache_write", pattern),
                    optional(price, "reasoning", pattern)));
        }
        return prices;
    }

    private static double required(JsonNode price, String field, String pattern) {
        Double value = optional(price, field, pattern);
        if (value == null) {
            throw new IllegalArgumentException("model \"" + pattern + "\" has no \"" + field + "\" price");
        }
        return value;
    }

    private static Double optional(JsonNode price, String field, String pattern) {
        JsonNode value = price.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() < 0) {
            throw new IllegalArgumentException("model \"" + pattern + "\": \"" + field
                    + "\" must be a number of dollars per million tokens, not " + value);
        }
        return value.asDouble();
    }
}
