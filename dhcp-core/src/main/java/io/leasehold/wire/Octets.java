package io.leasehold.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * An immutable string of bytes: opaque option values, client identifiers, DUIDs.
 *
 * <p>Its text form is lowercase colon-separated hex ({@code 01:fa:16:3e}), the form dnsmasq uses in
 * lease files and {@code id:} host entries. {@link #parseHex} also accepts hex without separators
 * and with {@code -} separators, as people paste them.
 */
public final class Octets implements Comparable<Octets> {

    /** The empty string of bytes. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] bytes;
    private int hash;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte... bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
    }

    /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static Octets of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new Octets(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** A copy of the readable bytes of {@code buf}; the buffer's indexes do not move. */
    public static Octets copyOf(ByteBuf buf) {
        return copyOf(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** A copy of {@code length} bytes of {@code buf} at {@code index}; the buffer's indexes do not move. */
    public static Octets copyOf(ByteBuf buf, int index, int length) {
        if (length == 0) {
            return EMPTY;
        }
        byte[] copy = new byte[length];
        buf.getBytes(index, copy);
        return new Octets(copy);
    }

    /** Reads {@code length} bytes from {@code buf}, advancing its reader index. */
    public static Octets read(ByteBuf buf, int length) {
        Octets value = copyOf(buf, buf.readerIndex(), length);
        buf.skipBytes(length);
        return value;
    }

    /**
     * Parses hex: {@code 01:02:ff}, {@code 01-02-ff} or {@code 0102ff}. Single-digit groups between
     * colons ({@code 1:2:ff}) are accepted, as dnsmasq accepts them.
     *
     * @throws IllegalArgumentException when the text is not hex, naming the offending text
     */
    public static Octets parseHex(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return EMPTY;
        }
        byte[] out;
        if (s.indexOf(':') >= 0 || s.indexOf('-') >= 0) {
            String[] groups = s.split("[:-]", -1);
            out = new byte[groups.length];
            for (int i = 0; i < groups.length; i++) {
                String g = groups[i];
                if (g.isEmpty() || g.length() > 2) {
                    throw new IllegalArgumentException("hex: '" + text + "' (expected: bytes like 01:fa:3e)");
                }
                out[i] = (byte) hexGroup(g, text);
            }
        } else {
            if ((s.length() & 1) != 0) {
                throw new IllegalArgumentException("hex: '" + text + "' (expected: an even number of hex digits)");
            }
            out = new byte[s.length() / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) hexGroup(s.substring(2 * i, 2 * i + 2), text);
            }
        }
        return new Octets(out);
    }

    /** True when {@code text} is colon-separated hex of at least two bytes, as {@link #parseHex} reads it. */
    public static boolean looksLikeColonHex(String text) {
        String s = text.trim();
        if (s.indexOf(':') < 0) {
            return false;
        }
        for (String g : s.split(":", -1)) {
            if (g.isEmpty() || g.length() > 2 || Character.digit(g.charAt(0), 16) < 0
                    || (g.length() == 2 && Character.digit(g.charAt(1), 16) < 0)) {
                return false;
            }
        }
        return true;
    }

    private static int hexGroup(String g, String whole) {
        int v = 0;
        for (int i = 0; i < g.length(); i++) {
            int d = Character.digit(g.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException("hex: '" + whole + "' (expected: hex digits 0-9a-f)");
            }
            v = v * 16 + d;
        }
        return v;
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The byte at {@code index}, unsigned. */
    public int unsignedByte(int index) {
        return bytes[index] & 0xff;
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Copies the bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    /** Writes the bytes to {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** The bytes from {@code from} (inclusive) to {@code to} (exclusive). */
    public Octets slice(int from, int to) {
        return of(bytes, from, to - from);
    }

    /** True when the readable bytes of {@code buf} equal these, without copying. */
    public boolean contentEquals(ByteBuf buf, int index, int length) {
        if (length != bytes.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(index + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** Lowercase colon-separated hex, {@code 01:fa:3e}; empty for no bytes. */
    public String toHex() {
        return toHex(':');
    }

    /** Lowercase hex with {@code separator} between bytes ({@code 0} for none). */
    public String toHex(char separator) {
        if (bytes.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0 && separator != 0) {
                sb.append(separator);
            }
            sb.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Octets && Arrays.equals(bytes, ((Octets) o).bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Octets o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
