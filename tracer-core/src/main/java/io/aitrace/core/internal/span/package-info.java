/** Not for users: the span and tracer implementations and the current-span context. May change in any release. */
package io.aitrace.core.internal.span;
