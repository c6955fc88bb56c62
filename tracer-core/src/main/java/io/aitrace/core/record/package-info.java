/** The records aitrace writes as typed values (span, log, dropped), value conversion, secret masking and the record format's timestamps. */
package io.aitrace.core.record;
