/** Reading JSON-lines records back into an {@link io.aitrace.read.TraceGraph}. */
package io.aitrace.core.read;
