/** The record pipeline: typed records to {@link io.aitrace.core.pipeline.RecordProcessor}s on the writer thread, and the providers that add processors at run time. */
package io.aitrace.core.pipeline;
