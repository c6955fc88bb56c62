package io.aitrace;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface method to be traced when the object is wrapped with {@link Tracing#proxy}:
 * each call becomes a span whose input holds the arguments and whose output is the return value.
 *
 * <pre>{@code
 * interface WeatherTools {
 *     @Traced Forecast forecast(String city);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Traced {
    /** The span name; the method name when empty. */
    String value() default "";

    /** The node type name ({@link NodeType#of(String)}); {@code "tool"} by default. */
    String type() default "tool";
}
