package io.leasehold.control;

/**
 * Ethernet addresses as operators type them and as the control protocol carries them: six hex
 * octets separated by colons (or dashes), held in the low 48 bits of a long.
 */
public final class MacAddress {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MacAddress() {
    }

    /**
     * Parses {@code fa:16:3e:00:00:01} (or with dashes; one-digit octets accepted).
     *
     * @throws IllegalArgumentException naming the text when it is not a MAC address
     */
    public static long parse(String text) {
        String t = text.trim();
        long mac = 0;
        int octets = 0;
        int start = 0;
        for (int i = 0; i <= t.length(); i++) {
            if (i < t.length() && t.charAt(i) != ':' && t.charAt(i) != '-') {
                continue;
            }
            int len = i - start;
            if (len == 0 || len > 2 || ++octets > 6) {
                throw malformed(text);
            }
            int v = 0;
            for (int k = start; k < i; k++) {
                int d = Character.digit(t.charAt(k), 16);
                if (d < 0) {
                    throw malformed(text);
                }
                v = v * 16 + d;
            }
            mac = mac << 8 | v;
            start = i + 1;
        }
        if (octets != 6) {
            throw malformed(text);
        }
        return mac;
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("malformed MAC address '" + text + "' (expected: six hex octets like fa:16:3e:00:00:01)");
    }

    /** True when {@code text} parses as a MAC address. */
    public static boolean looksLikeMac(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code fa:16:3e:00:00:01}. */
    public static String format(long mac) {
        char[] c = new char[17];
        for (int i = 0; i < 6; i++) {
            int b = (int) (mac >>> (40 - 8 * i)) & 0xff;
            c[i * 3] = HEX[b >>> 4];
            c[i * 3 + 1] = HEX[b & 0xf];
            if (i < 5) {
                c[i * 3 + 2] = ':';
            }
        }
        return new String(c);
    }
}
