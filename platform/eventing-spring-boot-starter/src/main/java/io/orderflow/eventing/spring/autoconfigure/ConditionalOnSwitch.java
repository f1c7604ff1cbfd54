package io.orderflow.eventing.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * On when every named switch is on or unset. A switch is read as its property binds ({@code true}, {@code on},
 * {@code yes}, {@code 1} ...), so a part never runs while its properties say it is off, nor the other way round:
 * Spring Boot's {@code @ConditionalOnBooleanProperty} matches the text {@code true} only. A value that is no boolean
 * stops the start, naming the property.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnSwitchCondition.class)
@interface ConditionalOnSwitch {

    /** The switches' property names. */
    String[] value();
}
