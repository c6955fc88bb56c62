/** Text output: the tree printer, duration formatting and fitting text into columns. */
package io.aitrace.core.text;
