package io.aitrace.core;

import java.net.URI;
import java.nio.file.Path;

/** TEMPORARY STUB until the real HTTP target lands. */
final class HttpTarget implements Target {
    HttpTarget(URI uri, Path spill, String stamp, String token) { }
    @Override public void write(byte[] line, int offset, int length) { }
    @Override public void flush() { }
    @Override public void close() { }
    @Override public String describe() { return "stub"; }
}
