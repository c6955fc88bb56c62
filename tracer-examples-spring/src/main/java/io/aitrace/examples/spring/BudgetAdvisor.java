package io.aitrace.examples.spring;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;

/** An advisor that reminds the model of the traveller's budget; it shows as a step span around each model call. */
final class BudgetAdvisor implements CallAdvisor {

    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
        ChatClientRequest withBudget = request.mutate()
                .prompt(request.prompt().augmentSystemMessage(system -> system.mutate()
                        .text(system.getText() + " The traveller's budget is 150 EUR.").build()))
                .build();
        return chain.nextCall(withBudget);
    }

    @Override
    public String getName() {
        return "BudgetAdvisor";
    }

    @Override
    public int getOrder() {
        return 0;
    }
}
