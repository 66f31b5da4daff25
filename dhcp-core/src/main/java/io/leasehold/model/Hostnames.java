package io.leasehold.model;

/**
 * Host name rules shared by the engines, the lease file and the DNS side.
 */
public final class Hostnames {

    private Hostnames() {
    }

    /**
     * True when {@code label} is a legal host label as dnsmasq's {@code legal_hostname} judges the
     * first label of a name: letters and digits, and {@code -} or {@code _} anywhere but first; at
     * most 63 characters (RFC 1035 §2.3.4). Client-supplied names that fail it are not used.
     */
    public static boolean isLegalHostLabel(String label) {
        if (label == null || label.isEmpty() || label.length() > 63) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '-' && c != '_'))) {
                return false;
            }
        }
        return true;
    }
}
