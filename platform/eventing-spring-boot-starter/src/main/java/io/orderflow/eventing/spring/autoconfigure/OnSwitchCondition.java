package io.orderflow.eventing.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** {@link ConditionalOnSwitch}: each switch bound as a {@code Boolean}, as its properties bind it. */
class OnSwitchCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String[] switches = (String[]) metadata.getAnnotationAttributes(ConditionalOnSwitch.class.getName())
                .get("value");
        Binder binder = Binder.get(context.getEnvironment());
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnSwitch.class);
        for (String name : switches) {
            if (!isOn(binder, name, context)) {
                return ConditionOutcome.noMatch(message.because(name + " is off"));
            }
        }
        return ConditionOutcome.match(message.because(String.join(", ", switches) + " on"));
    }

    private static boolean isOn(Binder binder, String name, ConditionContext context) {
        try {
            return binder.bind(name, Boolean.class).orElse(true);
        } catch (BindException e) {
            throw new IllegalStateException(
                    name + " is \"" + context.getEnvironment().getProperty(name)
                            + "\": a switch is true or false (on/off, yes/no, 1/0 read the same)",
                    e);
        }
    }
}
