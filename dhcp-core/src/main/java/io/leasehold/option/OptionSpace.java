package io.leasehold.option;

/** The numbering an option code belongs to. */
public enum OptionSpace {
    /** DHCPv4 options, codes 0..255 (RFC 2132 and successors). */
    DHCP4(255),
    /** DHCPv6 options, codes 0..65535 (RFC 8415 §21 and successors). */
    DHCP6(65535);

    private final int maxCode;

    OptionSpace(int maxCode) {
        this.maxCode = maxCode;
    }

    /** The largest code of the space. */
    public int maxCode() {
        return maxCode;
    }

    /** Throws unless {@code code} is a code of this space. */
    public int checkCode(int code) {
        if (code < 0 || code > maxCode) {
            throw new IllegalArgumentException("option code: " + code + " (expected: 0.." + maxCode + ")");
        }
        return code;
    }
}
