/** Export of finished spans over OTLP/HTTP to an OpenTelemetry collector. */
package io.aitrace.core.otlp;
