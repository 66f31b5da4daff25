package io.leasehold.lease;

import io.leasehold.option.Duid;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;

import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary record format of the lease journal: one self-checking record per {@link LeaseChange},
 * appended one after another, so that a reader finds where the valid data ends after a crash.
 *
 * <pre>
 *  0               1               2               3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+---------------+---------------+
 * |        magic 'L' 'J'          |  version (1)  |     kind      |
 * +-------------------------------+---------------+---------------+
 * |                     body length (u32, at most 1 MiB)          |
 * +---------------------------------------------------------------+
 * |                     body (body length bytes)                  |
 * +---------------------------------------------------------------+
 * |             CRC-32C of everything above (RFC 3720 §12.1)      |
 * +---------------------------------------------------------------+
 *
 * kind: 1 PUT4, 2 DELETE4, 3 PUT6, 4 DELETE6, 5 RESET (big-endian throughout)
 * state: 0 OFFERED, 1 BOUND, 2 DECLINED          IA type: 0 NA, 1 TA, 2 PD
 *
 * body:    network id (string)
 *   PUT4/DELETE4: address (4), mac (8, -1 none), expiresAt (8), state (1), flags (1: 1 client id,
 *                 2 hostname), [client id: length (4) + bytes], [hostname (string)]
 *   PUT6/DELETE6: address (16), prefix length (1), IA type (1), IAID (4), DUID: length (1) + bytes,
 *                 expiresAt (8), state (1), flags (1: 2 hostname), [hostname (string)]
 *   RESET:        nothing more
 * string:  length (4) + each UTF-16 unit as UTF-8 encodes a code point of that value (1 to 3
 *          bytes), so that any Java string, unpaired surrogates and NULs included, comes back exactly
 * </pre>
 *
 * <p>Every field is length-prefixed binary, so hostile host names and arbitrary client ids need no
 * escaping and round-trip exactly. The CRC covers the header too, so a torn or overwritten length is
 * caught as well as a torn body.
 *
 * <p>{@link #decode} reads whole records up to the first one that is incomplete ({@link Stop#TORN}:
 * what a crash in the middle of an append leaves) or invalid ({@link Stop#CORRUPT}), and says where
 * the valid data ends, so a store can cut the file there. It never throws for bad bytes.
 *
 * <p>Pure: bytes in and out, no file I/O.
 */
public final class LeaseJournalCodec {

    /** Why decoding stopped. */
    public enum Stop {
        /** Every byte was part of a valid record. */
        END,
        /** The bytes after the last valid record are the beginning of a record whose rest is missing. */
        TORN,
        /** The bytes after the last valid record are not a valid record (bad header, CRC or body). */
        CORRUPT
    }

    /**
     * What {@link #decode} found.
     *
     * @param changes     the records read, in order
     * @param validLength the length of the valid records from where decoding began
     * @param stop        why it stopped
     * @param problem     what was wrong with the bytes after the valid ones, naming their offset, or
     *                    null when {@code stop} is {@link Stop#END}
     */
    public record Decoded(List<LeaseChange> changes, int validLength, Stop stop, String problem) {
    }

    public static final int MAGIC = 0x4c4a;  // "LJ"
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 8;
    public static final int TRAILER_LENGTH = 4;
    public static final int MAX_BODY_LENGTH = 1 << 20;
    /** The longest record, header and CRC included. */
    public static final int MAX_RECORD_LENGTH = HEADER_LENGTH + MAX_BODY_LENGTH + TRAILER_LENGTH;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 2;
    static final int KIND_OFFSET = 3;
    static final int LENGTH_OFFSET = 4;

    private static final int FLAG_CLIENT_ID = 1;
    private static final int FLAG_HOSTNAME = 2;
    private static final LeaseChange.Kind[] KINDS = {null, LeaseChange.Kind.PUT4, LeaseChange.Kind.DELETE4,
        LeaseChange.Kind.PUT6, LeaseChange.Kind.DELETE6, LeaseChange.Kind.RESET};
    // Codes are fixed here, not taken from ordinal(): reordering an enum must not change the format.
    private static final LeaseState[] STATES = {LeaseState.OFFERED, LeaseState.BOUND, LeaseState.DECLINED};
    private static final Lease6.IaType[] IA_TYPES = {Lease6.IaType.NA, Lease6.IaType.TA, Lease6.IaType.PD};

    private LeaseJournalCodec() {
    }

    private static int stateCode(LeaseState state) {
        switch (state) {
            case OFFERED:
                return 0;
            case BOUND:
                return 1;
            case DECLINED:
                return 2;
            default:
                throw new AssertionError(state);
        }
    }

    private static int typeCode(Lease6.IaType type) {
        switch (type) {
            case NA:
                return 0;
            case TA:
                return 1;
            case PD:
                return 2;
            default:
                throw new AssertionError(type);
        }
    }

    private static int kindCode(LeaseChange.Kind kind) {
        switch (kind) {
            case PUT4:
                return 1;
            case DELETE4:
                return 2;
            case PUT6:
                return 3;
            case DELETE6:
                return 4;
            case RESET:
                return 5;
            default:
                throw new AssertionError(kind);
        }
    }

    // ---------------------------------------------------------------------------------------- encode

    /**
     * The length of the change's record, header and CRC included.
     *
     * @throws IllegalArgumentException when the body would exceed {@link #MAX_BODY_LENGTH}
     */
    public static int encodedLength(LeaseChange change) {
        long body = stringLength(change.networkId());
        if (change.lease4() != null) {
            Lease4 l = change.lease4();
            body += 4 + 8 + 8 + 1 + 1;
            if (l.clientId() != null) {
                body += 4 + l.clientId().length();
            }
            if (l.hostname() != null) {
                body += stringLength(l.hostname());
            }
        } else if (change.lease6() != null) {
            Lease6 l = change.lease6();
            body += 16 + 1 + 1 + 4 + 1 + l.duid().bytes().length() + 8 + 1 + 1;
            if (l.hostname() != null) {
                body += stringLength(l.hostname());
            }
        }
        if (body > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("record body: " + body + " bytes (expected: <= " + MAX_BODY_LENGTH + ")");
        }
        return HEADER_LENGTH + (int) body + TRAILER_LENGTH;
    }

    /** The change's record as a new array. */
    public static byte[] encode(LeaseChange change) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(change));
        encode(change, out);
        return out.array();
    }

    /**
     * Writes the change's record at {@code out}'s position and advances it.
     *
     * @throws IllegalArgumentException when the record is too long
     * @throws java.nio.BufferOverflowException when {@code out} has less room than
     *         {@link #encodedLength}; nothing is written then
     */
    public static void encode(LeaseChange change, ByteBuffer out) {
        int length = encodedLength(change);
        if (out.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        int start = out.position();
        out.putShort((short) MAGIC).put((byte) VERSION).put((byte) kindCode(change.kind()))
                .putInt(length - HEADER_LENGTH - TRAILER_LENGTH);
        putString(out, change.networkId());
        if (change.lease4() != null) {
            Lease4 l = change.lease4();
            out.putInt(l.address()).putLong(l.mac()).putLong(l.expiresAt()).put((byte) stateCode(l.state()))
                    .put((byte) ((l.clientId() != null ? FLAG_CLIENT_ID : 0) | (l.hostname() != null ? FLAG_HOSTNAME : 0)));
            if (l.clientId() != null) {
                out.putInt(l.clientId().length());
                putOctets(out, l.clientId());
            }
            if (l.hostname() != null) {
                putString(out, l.hostname());
            }
        } else if (change.lease6() != null) {
            Lease6 l = change.lease6();
            out.put(l.address().getAddress()).put((byte) l.prefixLength()).put((byte) typeCode(l.type()))
                    .putInt((int) l.iaid()).put((byte) l.duid().bytes().length());
            putOctets(out, l.duid().bytes());
            out.putLong(l.expiresAt()).put((byte) stateCode(l.state()))
                    .put((byte) (l.hostname() != null ? FLAG_HOSTNAME : 0));
            if (l.hostname() != null) {
                putString(out, l.hostname());
            }
        }
        out.putInt(crc(out, start, out.position()));
    }

    private static void putOctets(ByteBuffer out, Octets o) {
        for (int i = 0; i < o.length(); i++) {
            out.put((byte) o.unsignedByte(i));
        }
    }

    private static long stringLength(String s) {
        long n = 4;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return n;
    }

    private static void putString(ByteBuffer out, String s) {
        out.putInt((int) stringLength(s) - 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xc0 | c >> 6)).put((byte) (0x80 | (c & 0x3f)));
            } else {
                out.put((byte) (0xe0 | c >> 12)).put((byte) (0x80 | ((c >> 6) & 0x3f))).put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }

    /** CRC-32C of buf[from, to), leaving the buffer's position and limit as they were. */
    private static int crc(ByteBuffer buf, int from, int to) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = buf.duplicate();
        view.limit(to).position(from);
        crc.update(view);
        return (int) crc.getValue();
    }

    // ---------------------------------------------------------------------------------------- decode

    /** Decodes the records of a whole array; see {@link #decode(ByteBuffer, long)}. */
    public static Decoded decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes), 0);
    }

    /**
     * Decodes whole records from {@code in}'s position to its limit, advancing the position past
     * the valid ones. Stops at the end, at an incomplete record or at an invalid one, never
     * throwing for bad bytes.
     *
     * <p>To read a file in chunks, call again with more bytes after a {@link Stop#TORN} result: a
     * record cut by the end of a chunk is {@code TORN} until its rest arrives; at the end of the file
     * it is a torn tail.
     *
     * @param fileOffset where {@code in}'s position is in the file, for the problem text
     */
    public static Decoded decode(ByteBuffer in, long fileOffset) {
        List<LeaseChange> changes = new ArrayList<>();
        int start = in.position();
        int limit = in.limit();
        int pos = start;
        Stop stop = Stop.END;
        String problem = null;
        while (pos < limit) {
            String bad = checkHeader(in, pos, limit);
            if (bad != null) {
                stop = Stop.CORRUPT;
                problem = bad;
                break;
            }
            if (limit - pos < HEADER_LENGTH) {
                stop = Stop.TORN;
                problem = (limit - pos) + " bytes of a record header";
                break;
            }
            int bodyLength = in.getInt(pos + LENGTH_OFFSET);
            int recordLength = HEADER_LENGTH + bodyLength + TRAILER_LENGTH;
            if (limit - pos < recordLength) {
                stop = Stop.TORN;
                problem = (limit - pos) + " bytes of a " + recordLength + "-byte record";
                break;
            }
            int end = pos + recordLength;
            int expected = in.getInt(end - TRAILER_LENGTH);
            int actual = crc(in, pos, end - TRAILER_LENGTH);
            if (expected != actual) {
                stop = Stop.CORRUPT;
                problem = "CRC-32C 0x" + Integer.toHexString(expected) + " (computed: 0x" + Integer.toHexString(actual) + ")";
                break;
            }
            LeaseChange change;
            try {
                change = body(in, KINDS[in.get(pos + KIND_OFFSET)], pos + HEADER_LENGTH, end - TRAILER_LENGTH);
            } catch (RuntimeException e) {
                // The CRC matched, so a writer produced this: a bug or a newer format, not a torn write.
                stop = Stop.CORRUPT;
                problem = "record body: " + e.getMessage();
                break;
            }
            changes.add(change);
            pos = end;
        }
        in.position(pos);
        if (problem != null) {
            problem = "at offset " + (fileOffset + pos - start) + ": " + problem;
        }
        return new Decoded(Collections.unmodifiableList(changes), pos - start, stop, problem);
    }

    /**
     * What is wrong with the (possibly partial) header at {@code pos}, or null when every byte of it
     * that is present is as a record starts.
     */
    private static String checkHeader(ByteBuffer in, int pos, int limit) {
        int n = Math.min(limit - pos, HEADER_LENGTH);
        if (n >= 1 && (in.get(pos) & 0xff) != MAGIC >> 8
                || n >= 2 && (in.getShort(pos + MAGIC_OFFSET) & 0xffff) != MAGIC) {
            int seen = n >= 2 ? in.getShort(pos) & 0xffff : (in.get(pos) & 0xff) << 8;
            return "magic 0x" + Integer.toHexString(seen) + " (expected: 0x" + Integer.toHexString(MAGIC) + ")";
        }
        if (n > VERSION_OFFSET && in.get(pos + VERSION_OFFSET) != VERSION) {
            return "version " + (in.get(pos + VERSION_OFFSET) & 0xff) + " (expected: " + VERSION + ")";
        }
        if (n > KIND_OFFSET) {
            int kind = in.get(pos + KIND_OFFSET) & 0xff;
            if (kind < 1 || kind >= KINDS.length) {
                return "record kind " + kind + " (expected: 1..5)";
            }
        }
        if (n == HEADER_LENGTH) {
            int bodyLength = in.getInt(pos + LENGTH_OFFSET);
            if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH) {
                return "body length " + Integer.toUnsignedString(bodyLength) + " (expected: 0.." + MAX_BODY_LENGTH + ")";
            }
        }
        return null;
    }

    /**
     * The offset of the first complete, valid record (header, CRC and body) that starts after
     * {@code from} and before {@code in}'s limit, or -1. A store uses it to tell a torn tail (nothing
     * valid after the bad bytes) from damage in the middle of a journal.
     */
    public static int nextValidRecord(ByteBuffer in, int from) {
        int limit = in.limit();
        for (int pos = from + 1; pos + HEADER_LENGTH + TRAILER_LENGTH <= limit; pos++) {
            if ((in.get(pos) & 0xff) != MAGIC >> 8 || checkHeader(in, pos, limit) != null) {
                continue;
            }
            int end = pos + HEADER_LENGTH + in.getInt(pos + LENGTH_OFFSET) + TRAILER_LENGTH;
            if (end <= limit && in.getInt(end - TRAILER_LENGTH) == crc(in, pos, end - TRAILER_LENGTH)) {
                return pos;
            }
        }
        return -1;
    }

    /** A cursor over one record's body that refuses to read past it. */
    private static final class Body {
        private final ByteBuffer in;
        private int pos;
        private final int end;

        Body(ByteBuffer in, int pos, int end) {
            this.in = in;
            this.pos = pos;
            this.end = end;
        }

        private int take(int n) {
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException(n + " more bytes needed at body offset " + pos + ", " + (end - pos) + " left");
            }
            int at = pos;
            pos += n;
            return at;
        }

        int u8() {
            return in.get(take(1)) & 0xff;
        }

        int i32() {
            return in.getInt(take(4));
        }

        long i64() {
            return in.getLong(take(8));
        }

        byte[] bytes(int n) {
            int at = take(n);
            byte[] b = new byte[n];
            in.get(at, b);
            return b;
        }

        String string() {
            int n = i32();
            int at = take(n);
            StringBuilder sb = new StringBuilder(n);
            int i = at;
            int stop = at + n;
            while (i < stop) {
                int b = in.get(i) & 0xff;
                if (b < 0x80) {
                    sb.append((char) b);
                    i += 1;
                } else if ((b & 0xe0) == 0xc0 && i + 1 < stop) {
                    sb.append((char) ((b & 0x1f) << 6 | cont(i + 1)));
                    i += 2;
                } else if ((b & 0xf0) == 0xe0 && i + 2 < stop) {
                    sb.append((char) ((b & 0x0f) << 12 | cont(i + 1) << 6 | cont(i + 2)));
                    i += 3;
                } else {
                    throw new IllegalArgumentException("string byte 0x" + Integer.toHexString(b) + " at body offset " + i);
                }
            }
            return sb.toString();
        }

        private int cont(int i) {
            int b = in.get(i) & 0xff;
            if ((b & 0xc0) != 0x80) {
                throw new IllegalArgumentException("string byte 0x" + Integer.toHexString(b) + " at body offset " + i);
            }
            return b & 0x3f;
        }

        void finish() {
            if (pos != end) {
                throw new IllegalArgumentException((end - pos) + " bytes left over");
            }
        }
    }

    private static LeaseChange body(ByteBuffer in, LeaseChange.Kind kind, int from, int to) {
        Body b = new Body(in, from, to);
        String networkId = b.string();
        LeaseChange change;
        switch (kind) {
            case PUT4:
            case DELETE4: {
                int address = b.i32();
                long mac = b.i64();
                long expiresAt = b.i64();
                LeaseState state = state(b.u8());
                int flags = b.u8();
                if ((flags & ~(FLAG_CLIENT_ID | FLAG_HOSTNAME)) != 0) {
                    throw new IllegalArgumentException("flags 0x" + Integer.toHexString(flags));
                }
                Octets clientId = (flags & FLAG_CLIENT_ID) != 0 ? Octets.of(b.bytes(b.i32())) : null;
                String hostname = (flags & FLAG_HOSTNAME) != 0 ? b.string() : null;
                change = new LeaseChange(networkId, kind, new Lease4(address, mac, clientId, hostname, expiresAt, state), null);
                break;
            }
            case PUT6:
            case DELETE6: {
                Inet6Address address = IpAddresses.ipv6(b.bytes(16));
                int prefixLength = b.u8();
                int type = b.u8();
                if (type >= IA_TYPES.length) {
                    throw new IllegalArgumentException("IA type " + type);
                }
                long iaid = b.i32() & 0xffffffffL;
                Duid duid = Duid.of(Octets.of(b.bytes(b.u8())));
                long expiresAt = b.i64();
                LeaseState state = state(b.u8());
                int flags = b.u8();
                if ((flags & ~FLAG_HOSTNAME) != 0) {
                    throw new IllegalArgumentException("flags 0x" + Integer.toHexString(flags));
                }
                String hostname = (flags & FLAG_HOSTNAME) != 0 ? b.string() : null;
                change = new LeaseChange(networkId, kind, null,
                        new Lease6(address, prefixLength, IA_TYPES[type], duid, iaid, hostname, expiresAt, state));
                break;
            }
            case RESET:
                change = LeaseChange.reset(networkId);
                break;
            default:
                throw new AssertionError(kind);
        }
        b.finish();
        return change;
    }

    private static LeaseState state(int code) {
        if (code >= STATES.length) {
            throw new IllegalArgumentException("lease state " + code);
        }
        return STATES[code];
    }
}
