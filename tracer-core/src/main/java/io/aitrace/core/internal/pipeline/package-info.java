/** Not for users: the writer thread that takes records from the application threads to the targets. May change in any release. */
package io.aitrace.core.internal.pipeline;
