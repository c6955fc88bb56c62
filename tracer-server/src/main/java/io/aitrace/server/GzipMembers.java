package io.aitrace.server;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Unpacks a gzip body whole: every member of it (a client that compresses chunk by chunk sends several, one after
 * another), each checked against its CRC and length, and nothing else after them. The JDK's
 * {@code GZIPInputStream} stops early when the next member has not arrived yet and ignores trailing bytes; a
 * collector that did the same would acknowledge records it never read.
 */
final class GzipMembers {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private GzipMembers() {
    }

    static boolean startsWithMagic(byte[] data, int at) {
        return data.length >= at + 2 && (data[at] & 0xff) == 0x1f && (data[at + 1] & 0xff) == 0x8b;
    }

    /**
     * @throws ApiException 400 for data that is not gzip, is cut short, fails its checksum or has anything but
     *         another member after a member; 413 when it unpacks to more than {@code limit} bytes
     */
    static byte[] unpack(byte[] data, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(data.length * 4, (int) Math.min(limit, 1 << 24)));
        byte[] buffer = new byte[64 * 1024];
        Inflater inflater = new Inflater(true);
        try {
            int at = 0;
            int member = 0;
            do {
                member++;
                if (!startsWithMagic(data, at)) {
                    throw bad(member == 1 ? "it does not start with gzip's magic number"
                            : "unexpected data after gzip member " + (member - 1));
                }
                at = skipHeader(data, at);
                inflater.reset();
                inflater.setInput(data, at, data.length - at);
                CRC32 crc = new CRC32();
                long size = 0;
                while (!inflater.finished()) {
                    int n = inflater.inflate(buffer);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw bad("it ends inside gzip member " + member);
                    }
                    crc.update(buffer, 0, n);
                    size += n;
                    if (out.size() + (long) n > limit) {
                        throw new ApiException(413, "request body larger than " + limit + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
                at = data.length - inflater.getRemaining();
                if (at + 8 > data.length) {
                    throw bad("it ends inside the trailer of gzip member " + member);
                }
                if ((int) crc.getValue() != littleEndianInt(data, at) || (int) size != littleEndianInt(data, at + 4)) {
                    throw bad("gzip member " + member + " fails its checksum");
                }
                at += 8;
            } while (at < data.length);
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw bad(String.valueOf(e.getMessage()));
        } finally {
            inflater.end();
        }
    }

    /** The offset just after a member's header (RFC 1952, 2.3). */
    private static int skipHeader(byte[] data, int at) {
        if (data.length < at + 10) {
            throw bad("it ends inside a gzip header");
        }
        if (data[at + 2] != 8) {
            throw bad("unknown gzip compression method " + data[at + 2]);
        }
        int flags = data[at + 3];
        int p = at + 10;
        if ((flags & FEXTRA) != 0) {
            if (data.length < p + 2) {
                throw bad("it ends inside a gzip header");
            }
            p += 2 + ((data[p] & 0xff) | (data[p + 1] & 0xff) << 8);
        }
        if ((flags & FNAME) != 0) {
            p = afterZero(data, p);
        }
        if ((flags & FCOMMENT) != 0) {
            p = afterZero(data, p);
        }
        if ((flags & FHCRC) != 0) {
            p += 2;
        }
        if (p > data.length) {
            throw bad("it ends inside a gzip header");
        }
        return p;
    }

    private static int afterZero(byte[] data, int p) {
        while (p < data.length && data[p] != 0) {
            p++;
        }
        return p + 1;
    }

    private static int littleEndianInt(byte[] data, int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24;
    }

    private static ApiException bad(String reason) {
        return new ApiException(400, "the body is not valid gzip data: " + reason);
    }
}
