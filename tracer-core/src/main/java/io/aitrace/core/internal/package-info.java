/** Not for users: aitrace's own diagnostics. May change in any release. */
package io.aitrace.core.internal;
