package io.leasehold.v6;

import io.leasehold.option.Duid;
import io.leasehold.option.OptionDef;
import io.leasehold.option.SubOption;
import io.leasehold.option.VendorClass;
import io.leasehold.option.VendorOptions;
import io.leasehold.testing.RandomOptionValues;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the DHCPv6 tests share: hand-built wire bytes (deep relays, lying lengths), the re-encoder
 * that writes a decoded chain back through {@link Dhcp6MessageWriter}, the typed round-trip check,
 * and random values for the DHCPv6 value types, registered with {@link RandomOptionValues}.
 */
final class Dhcp6Fixtures {

    private Dhcp6Fixtures() {
    }

    static {
        RandomOptionValues.register("utf8", r -> RandomOptionValues.string(r, r.nextInt(30)));
        RandomOptionValues.register("message-type6", r -> r.nextInt(256));
        RandomOptionValues.register("status-code", Dhcp6Fixtures::statusCode);
        RandomOptionValues.register("iaaddr", Dhcp6Fixtures::iaAddress);
        RandomOptionValues.register("iaprefix", Dhcp6Fixtures::iaPrefix);
        RandomOptionValues.register("ia-na", Dhcp6Fixtures::iaNa);
        RandomOptionValues.register("ia-ta", Dhcp6Fixtures::iaTa);
        RandomOptionValues.register("ia-pd", Dhcp6Fixtures::iaPd);
        RandomOptionValues.register("authentication", r -> new Authentication(r.nextInt(256), r.nextInt(256),
                r.nextInt(256), r.nextLong(), RandomOptionValues.octets(r, r.nextInt(20))));
        RandomOptionValues.register("fqdn6", Dhcp6Fixtures::fqdn);
        RandomOptionValues.register("ntp-servers", r -> {
            List<NtpServer> out = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                switch (r.nextInt(4)) {
                    case 0: out.add(NtpServer.server(RandomOptionValues.ipv6(r))); break;
                    case 1: out.add(NtpServer.multicast(RandomOptionValues.ipv6(r))); break;
                    case 2: out.add(NtpServer.fqdn(RandomOptionValues.domain(r))); break;
                    default: out.add(NtpServer.fqdn(""));
                }
            }
            return List.copyOf(out);
        });
        RandomOptionValues.register("vendor-class6", r -> new VendorClass(r.nextLong() & 0xffffffffL, items(r)));
        RandomOptionValues.register("vendor-opts6", r -> new VendorOptions(r.nextLong() & 0xffffffffL,
                RandomOptionValues.subOptions(r, 65535)));
        RandomOptionValues.register("remote-id", r -> new RemoteId(r.nextLong() & 0xffffffffL,
                RandomOptionValues.octets(r, r.nextInt(20))));
        RandomOptionValues.register("link-layer-address", r -> new LinkLayerAddress(r.nextInt(65536),
                RandomOptionValues.octets(r, r.nextInt(17))));
        RandomOptionValues.register("opaque16-list", Dhcp6Fixtures::items);
    }

    /** Makes sure the generators above are registered. */
    static void registerGenerators() {
        // The static initializer does the work; calling this loads the class.
    }

    // ---- random values ---------------------------------------------------------------------------

    static StatusCode statusCode(Random r) {
        return new StatusCode(r.nextInt(4) == 0 ? r.nextInt(65536) : r.nextInt(7),
                r.nextBoolean() ? "" : RandomOptionValues.string(r, r.nextInt(30)));
    }

    static IaAddress iaAddress(Random r) {
        List<SubOption> nested = new ArrayList<>();
        if (r.nextInt(3) == 0) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, statusCode(r)));
        }
        if (r.nextInt(5) == 0) {
            nested.add(unknownNested(r));
        }
        return new IaAddress(RandomOptionValues.ipv6(r), u32(r), u32(r), nested);
    }

    static IaPrefix iaPrefix(Random r) {
        List<SubOption> nested = new ArrayList<>();
        if (r.nextInt(3) == 0) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, statusCode(r)));
        }
        return new IaPrefix(u32(r), u32(r), r.nextInt(129), RandomOptionValues.ipv6(r), nested);
    }

    static IaNa iaNa(Random r) {
        List<SubOption> nested = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.IAADDR, iaAddress(r)));
        }
        if (r.nextInt(3) == 0) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, statusCode(r)));
        }
        if (r.nextInt(5) == 0) {
            nested.add(unknownNested(r));
        }
        return new IaNa(u32(r), u32(r), u32(r), nested);
    }

    static IaTa iaTa(Random r) {
        List<SubOption> nested = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.IAADDR, iaAddress(r)));
        }
        return new IaTa(u32(r), nested);
    }

    static IaPd iaPd(Random r) {
        List<SubOption> nested = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.IAPREFIX, iaPrefix(r)));
        }
        if (r.nextInt(3) == 0) {
            nested.add(Dhcp6Codecs.nested(Dhcp6Options.STATUS_CODE, statusCode(r)));
        }
        return new IaPd(u32(r), u32(r), u32(r), nested);
    }

    static Fqdn6 fqdn(Random r) {
        switch (r.nextInt(4)) {
            case 0: return new Fqdn6(r.nextInt(256), "", false);
            case 1: return new Fqdn6(r.nextInt(256), "", true);
            default: return new Fqdn6(r.nextInt(256), RandomOptionValues.domain(r), r.nextBoolean());
        }
    }

    static List<Octets> items(Random r) {
        List<Octets> out = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            out.add(RandomOptionValues.octets(r, r.nextInt(12)));
        }
        return List.copyOf(out);
    }

    /** A nested option of a code no container defines; it must survive untouched. */
    static SubOption unknownNested(Random r) {
        return new SubOption(1000 + r.nextInt(60000), RandomOptionValues.octets(r, r.nextInt(10)));
    }

    static long u32(Random r) {
        return r.nextInt(8) == 0 ? 0xffffffffL : r.nextLong() & 0xffffffffL;
    }

    // ---- hand-built wire bytes -------------------------------------------------------------------

    /** One option: code, length, value. */
    static byte[] option(int code, byte[] value) {
        return option(code, value.length, value);
    }

    /** One option whose length field says {@code length}, whatever the value's size. */
    static byte[] option(int code, int length, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(4 + value.length);
        b.putShort((short) code).putShort((short) length).put(value);
        return b.array();
    }

    /** A client/server message of {@code type} and {@code xid} with these options. */
    static byte[] message(int type, int xid, byte[]... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(xid >>> 16);
        out.write(xid >>> 8);
        out.write(xid);
        for (byte[] o : options) {
            out.writeBytes(o);
        }
        return out.toByteArray();
    }

    /**
     * {@code inner} wrapped in RELAY-FORW envelopes {@code depth} deep, built byte by byte (the
     * writer refuses to go past the hop limit, these bytes must). Hop counts count up outwards and
     * stop at the limit, the most a relay agent ever writes.
     */
    static byte[] relayForw(byte[] inner, int depth) {
        byte[] m = inner;
        for (int hop = 0; hop < depth; hop++) {
            ByteBuffer b = ByteBuffer.allocate(Dhcp6Message.RELAY_OPTIONS_OFFSET + 4 + m.length);
            b.put((byte) 12).put((byte) Math.min(hop, Dhcp6RelayChain.HOP_COUNT_LIMIT));
            b.putLong(0xfd00007700010000L).putLong(hop);                 // link-address
            b.putLong(0xfe80000000000000L).putLong(0xf8163efffe000000L | hop); // peer-address
            b.putShort((short) 9).putShort((short) m.length).put(m);
            m = b.array();
        }
        return m;
    }

    /** A Solicit as dhcpcd sends it, with a client id of {@code duid}. */
    static byte[] solicit(byte[] duid) {
        return message(1, 0xc6f91a,
                option(1, duid),
                option(3, hex("3e0000130000000000000000")),
                option(6, hex("00170018")),
                option(8, hex("0000")),
                option(14, new byte[0]));
    }

    static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s);
    }

    // ---- re-encoding -----------------------------------------------------------------------------

    /** Writes a decoded chain back through the writer, option by option, as received. */
    static byte[] reencode(Dhcp6RelayChain chain) {
        ByteBuf out = Unpooled.buffer();
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(out);
        writeLevel(w, chain, 0);
        assertEquals(out.readableBytes(), w.finish());
        return ByteBufUtil.getBytes(out);
    }

    private static void writeLevel(Dhcp6MessageWriter w, Dhcp6RelayChain chain, int level) {
        Dhcp6Message m = level < chain.depth() ? chain.relay(level) : chain.message();
        if (m.isRelay()) {
            w.relayHeader(m.messageType(), m.hopCount(), m.buffer(), m.linkAddressIndex(), m.peerAddressIndex());
        } else {
            w.header(m.messageType(), m.xid());
        }
        for (int i = 0; i < m.optionCount(); i++) {
            if (m.isRelay() && m.optionCode(i) == Dhcp6Options.RELAY_MSG.code()) {
                w.openRelayMessage();
                writeLevel(w, chain, level + 1);
                w.close();
            } else {
                w.copyOption(m, i);
            }
        }
    }

    /**
     * Every option of {@code m} that decodes encodes back to exactly its bytes, and walking a
     * container's nested options either succeeds or fails with the one exception.
     */
    static void assertTypedRoundTrip(Dhcp6Message m, String where) {
        Dhcp6OptionCursor outer = new Dhcp6OptionCursor();
        Dhcp6OptionCursor inner = new Dhcp6OptionCursor();
        for (int i = 0; i < m.optionCount(); i++) {
            OptionDef<?> def = Dhcp6Options.TABLE.byCode(m.optionCode(i));
            byte[] wire = ByteBufUtil.getBytes(m.optionValueAt(i));
            assertEncodesBack(def, m.optionAt(i, def), wire, where);
            if (Dhcp6Options.nestedOptionsOffset(m.optionCode(i)) >= 0) {
                try {
                    m.nested(i, outer);
                    while (outer.next()) {
                        if (Dhcp6Options.nestedOptionsOffset(outer.code()) >= 0) {
                            outer.nested(inner);
                            while (inner.next()) {
                                // walking is the test
                            }
                        }
                    }
                } catch (MalformedPacketException expected) {
                    // a lying nested length costs that option
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void assertEncodesBack(OptionDef<T> def, Object value, byte[] wire, String where) {
        if (value != null) {
            assertEquals(ByteBufUtil.hexDump(wire), ByteBufUtil.hexDump(def.encode((T) value)),
                    def.label() + " encodes back to its bytes " + where);
        }
    }

    /** A DUID-like client id of exactly {@code n} bytes (type 1 when it has room for one). */
    static byte[] duidOfLength(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0x5a);
        if (n >= 2) {
            b[0] = 0;
            b[1] = (byte) Duid.TYPE_EN;
        }
        return b;
    }
}
