package io.aitrace.spring.ai;

import io.aitrace.NodeType;
import io.aitrace.Span;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;

/** One advisor of a ChatClient call: a {@code step} span named after the advisor, with its order. */
final class AdvisorSpans implements SpanMapping<AdvisorObservationContext> {

    @Override
    public Class<AdvisorObservationContext> contextType() {
        return AdvisorObservationContext.class;
    }

    @Override
    public NodeType nodeType(AdvisorObservationContext context) {
        return NodeType.STEP;
    }

    @Override
    public String name(AdvisorObservationContext context) {
        return context.getAdvisorName();
    }

    @Override
    public void started(Span span, AdvisorObservationContext context, boolean content) {
        span.attribute("spring.ai.kind", "advisor");
        span.attribute("spring.ai.advisor.name", context.getAdvisorName());
        span.attribute("spring.ai.advisor.order", context.getOrder());
    }

    @Override
    public void stopped(Span span, AdvisorObservationContext context, boolean content) {
        // The advisor's work shows in its children (model calls, tools) and in the ChatClient span's output.
    }
}
