/**
 * The aitrace provider: {@link io.aitrace.core.TracerRuntime} (one configured tracing runtime),
 * {@link io.aitrace.core.TracerConfig} (its settings) and {@link io.aitrace.core.SpanIds} (the current IDs).
 * Sub-packages hold one concern each; {@code internal} packages are not for users and change without notice.
 */
package io.aitrace.core;
