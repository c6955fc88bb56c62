/** The self-contained HTML export of traces (the viewer inlined into one file). */
package io.aitrace.core.export;
