/** Where records go: the Target interface and the built-in targets (file, stdout, console, in-memory traces), listeners, and the target-string parser. */
package io.aitrace.core.target;
