package io.leasehold.model;

import io.leasehold.option.OptionDef;
import io.leasehold.option.OptionSpace;
import io.leasehold.wire.Octets;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One configured option, as a dnsmasq {@code dhcp-option} line states it: which option, under
 * which tags, with which value (already encoded), and whether it is sent unasked.
 *
 * <p>Two dnsmasq conventions are values here: a line with <em>no value</em> ({@link #value()} null)
 * means "do not send this option", which suppresses a default (Neutron writes
 * {@code tag:subnet-X,option:router} for a subnet without a gateway); and an address option whose
 * value holds {@code 0.0.0.0} (or {@code [::]}) means "this server's address", substituted when the
 * reply is built ({@link #selfAddress()}).
 *
 * @param space       DHCPv4 or DHCPv6
 * @param code        the option code, or {@link #NEXT_SERVER} for dnsmasq's {@code server-ip-address},
 *                    which sets the BOOTP {@code siaddr} field rather than an option
 * @param value       the encoded value, or null for a line with no value
 * @param tags        conditions, all of which must hold
 * @param forced      {@code dhcp-option-force}: sent even when the client did not ask for it
 * @param selfAddress the value holds unspecified addresses that stand for the server's own
 */
public record OptionLine(OptionSpace space, int code, Octets value, List<TagMatch> tags, boolean forced,
                         boolean selfAddress) {

    /** The pseudo-code of {@code server-ip-address}: the {@code siaddr} header field (next server). */
    public static final int NEXT_SERVER = -1;

    public OptionLine {
        Objects.requireNonNull(space, "space");
        tags = List.copyOf(tags);
        if (code != NEXT_SERVER) {
            space.checkCode(code);
        }
    }

    /** A line setting {@code def} to {@code value} under {@code tags}. */
    public static <T> OptionLine of(OptionDef<T> def, T value, List<TagMatch> tags, boolean forced) {
        return new OptionLine(def.space(), def.code(), Octets.of(def.encode(value)), tags, forced, false);
    }

    /** True for a line with no value, which suppresses the option. */
    public boolean suppresses() {
        return value == null;
    }

    /** True when every tag condition holds for {@code tags}. */
    public boolean matches(Set<String> tags) {
        for (TagMatch m : this.tags) {
            if (!m.test(tags)) {
                return false;
            }
        }
        return true;
    }

    /** True when the line has at least one tag condition (dnsmasq: a "tagged" option). */
    public boolean isTagged() {
        return !tags.isEmpty();
    }

    /** The first required (non-negated) tag, which indexes the line; null when there is none. */
    public String indexTag() {
        for (TagMatch m : tags) {
            if (!m.negated()) {
                return m.tag();
            }
        }
        return null;
    }
}
