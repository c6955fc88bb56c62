/** Sending records to an aitrace collector over HTTP: batching, gzip, retries and the on-disk spill. */
package io.aitrace.core.http;
