package io.leasehold.v6;

import io.leasehold.option.DomainNames;
import io.leasehold.option.OptionCodec;
import io.leasehold.option.OptionCodecs;
import io.leasehold.wire.IpAddresses;
import io.netty.buffer.ByteBuf;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;

/**
 * One time source of the NTP Server option (56, RFC 5908 §4): a sub-option carrying a server's
 * unicast address (1), a multicast group address (2) or a server's FQDN (3). The option value is a
 * non-empty sequence of them, each framed like a DHCPv6 option.
 *
 * <pre>
 * +-------------------------------+-------------------------------+
 * |        OPTION_NTP_SERVER      |          option-len           |
 * +-------------------------------+-------------------------------+
 * |      suboption-1 (type, length, value)                        |
 * .      ...                                                      .
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Text form of a list, comma-separated as dnsmasq reads {@code option6:ntp-server}: a unicast
 * address is a server address, a multicast address is a group, anything else is a name. A value
 * that reads otherwise carries its kind: {@code server=ff05::101}, {@code multicast=fd00::1},
 * {@code fqdn=fd00::1}. A sub-option of another type, a length that runs past the option, or an
 * address of other than 16 octets makes the option malformed.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5908#section-4">RFC 5908 §4</a>
 */
public record NtpServer(int type, Inet6Address address, String fqdn) {

    /** NTP_SUBOPTION_SRV_ADDR. */
    public static final int SERVER_ADDRESS = 1;
    /** NTP_SUBOPTION_MC_ADDR. */
    public static final int MULTICAST_ADDRESS = 2;
    /** NTP_SUBOPTION_SRV_FQDN. */
    public static final int SERVER_FQDN = 3;

    public NtpServer {
        OptionCodecs.checkRange(type, SERVER_ADDRESS, SERVER_FQDN, "NTP sub-option");
        if ((type == SERVER_FQDN) != (fqdn != null) || (type == SERVER_FQDN) == (address != null)) {
            throw new IllegalArgumentException("NTP sub-option " + type
                    + ": an address for types 1 and 2, a name for type 3");
        }
    }

    /** A server's unicast address. */
    public static NtpServer server(Inet6Address address) {
        return new NtpServer(SERVER_ADDRESS, address, null);
    }

    /** A multicast group to listen on. */
    public static NtpServer multicast(Inet6Address address) {
        return new NtpServer(MULTICAST_ADDRESS, address, null);
    }

    /** A server's fully qualified name. */
    public static NtpServer fqdn(String name) {
        return new NtpServer(SERVER_FQDN, null, DomainNames.toText(DomainNames.parseLabels(name)));
    }

    /** Option 56: one or more time sources. */
    public static final OptionCodec<List<NtpServer>> LIST_CODEC = OptionCodecs.codec("ntp-servers",
            NtpServer::readList,
            NtpServer::writeList,
            NtpServer::parseList,
            NtpServer::formatList);

    private static List<NtpServer> readList(ByteBuf buf) {
        if (!buf.isReadable()) {
            throw OptionCodecs.malformed("NTP server: empty (expected: at least one sub-option)");
        }
        List<NtpServer> out = new ArrayList<>();
        while (buf.isReadable()) {
            if (buf.readableBytes() < 4) {
                throw OptionCodecs.malformed("NTP server: sub-option header cut short (" + buf.readableBytes() + " bytes)");
            }
            int type = buf.readUnsignedShort();
            int len = buf.readUnsignedShort();
            if (len > buf.readableBytes()) {
                throw OptionCodecs.malformed("NTP sub-option " + type + ": length " + len + " runs past the option ("
                        + buf.readableBytes() + " bytes left)");
            }
            ByteBuf value = buf.readSlice(len);
            switch (type) {
                case SERVER_ADDRESS:
                case MULTICAST_ADDRESS:
                    if (len != 16) {
                        throw OptionCodecs.malformed("NTP sub-option " + type + ": " + len + " bytes (expected: 16)");
                    }
                    out.add(new NtpServer(type, IpAddresses.readIpv6(value), null));
                    break;
                case SERVER_FQDN:
                    DomainNames.Name n = DomainNames.read(value, value.readerIndex(), false);
                    if (!n.absolute || value.isReadable()) {
                        throw OptionCodecs.malformed("NTP sub-option 3: not exactly one fully qualified name");
                    }
                    out.add(new NtpServer(type, null, n.text));
                    break;
                default:
                    throw OptionCodecs.malformed("NTP sub-option: type " + type + " (expected: 1..3)");
            }
        }
        return List.copyOf(out);
    }

    private static void writeList(List<NtpServer> list, ByteBuf out) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("NTP server: empty (expected: at least one sub-option)");
        }
        for (NtpServer s : list) {
            out.writeShort(s.type);
            int lengthAt = out.writerIndex();
            out.writeShort(0);
            if (s.type == SERVER_FQDN) {
                DomainNames.write(DomainNames.parseLabels(s.fqdn), true, out, null, 0);
            } else {
                out.writeBytes(s.address.getAddress());
            }
            out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
        }
    }

    private static List<NtpServer> parseList(String text) {
        List<NtpServer> out = new ArrayList<>();
        for (String item : OptionCodecs.splitList(text)) {
            out.add(parseItem(item));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("NTP server: empty (expected: at least one address or name)");
        }
        return List.copyOf(out);
    }

    private static NtpServer parseItem(String item) {
        if (item.startsWith("server=")) {
            return server(IpAddresses.parseIpv6(item.substring(7)));
        }
        if (item.startsWith("multicast=")) {
            return multicast(IpAddresses.parseIpv6(item.substring(10)));
        }
        if (item.startsWith("fqdn=")) {
            return fqdn(item.substring(5));
        }
        Inet6Address address = literal(item);
        if (address == null) {
            return fqdn(item);
        }
        return address.isMulticastAddress() ? multicast(address) : server(address);
    }

    private static Inet6Address literal(String text) {
        try {
            return IpAddresses.parseIpv6(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String formatList(List<NtpServer> list) {
        StringBuilder sb = new StringBuilder();
        for (NtpServer s : list) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(s.text());
        }
        return sb.toString();
    }

    private String text() {
        if (type == SERVER_FQDN) {
            boolean plain = !fqdn.isEmpty() && literal(fqdn) == null && !fqdn.startsWith("server=") && !fqdn.startsWith("multicast=")
                    && !fqdn.startsWith("fqdn=");
            return plain ? fqdn : "fqdn=" + fqdn;
        }
        String a = IpAddresses.text(address);
        boolean natural = address.isMulticastAddress() == (type == MULTICAST_ADDRESS);
        return natural ? a : (type == SERVER_ADDRESS ? "server=" : "multicast=") + a;
    }

    @Override
    public String toString() {
        return text();
    }
}
