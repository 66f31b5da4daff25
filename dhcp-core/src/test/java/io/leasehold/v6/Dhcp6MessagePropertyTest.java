package io.leasehold.v6;

import io.leasehold.option.OptionDef;
import io.leasehold.testing.RandomOptionValues;
import io.leasehold.testing.Seeds;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded properties of the DHCPv6 codec. Each test takes a seed (printed in its name and in every
 * failure message) from which everything random derives, so a failure reproduces from that seed,
 * or from the run's base with {@code -Dleasehold.seed=N} ({@link Seeds}).
 *
 * <ul>
 *   <li>Random valid messages, with nested IAs, typed options, unknown codes and relay envelopes up
 *       to the hop limit, decode to what was written and re-encode to the same bytes.</li>
 *   <li>Any bytes decode or throw {@link MalformedPacketException}, nothing else; what decodes
 *       re-encodes to the same bytes, raw and option by option.</li>
 *   <li>Relay chains of every depth up to {@link Dhcp6RelayChain#HOP_COUNT_LIMIT} decode; one deeper
 *       is rejected as {@link MalformedPacketException.Reason#RELAY_TOO_DEEP}.</li>
 * </ul>
 */
class Dhcp6MessagePropertyTest {

    static {
        Dhcp6Fixtures.registerGenerators();
    }

    private static final List<OptionDef<?>> DEFS = Dhcp6Options.TABLE.all();

    static LongStream seeds() {
        return Seeds.of(40);
    }

    // ---- a model of what was written ------------------------------------------------------------

    /** One option as written: its code, value bytes, and typed value when a definition wrote it. */
    record Opt(int code, byte[] value, Object typed) {
    }

    /** One relay envelope: header fields, the options before and after its Relay Message option. */
    record Envelope(int type, int hops, Inet6Address link, Inet6Address peer, List<Opt> before, List<Opt> after) {
    }

    record Written(byte[] bytes, List<Envelope> relays, int type, int xid, List<Opt> options) {
    }

    static Written randomMessage(Random r, int maxDepth) {
        List<Envelope> relays = new ArrayList<>();
        for (int i = 0, d = r.nextInt(maxDepth + 1); i < d; i++) {
            relays.add(new Envelope(r.nextBoolean() ? 12 : 13, r.nextInt(Dhcp6RelayChain.HOP_COUNT_LIMIT + 1),
                    RandomOptionValues.ipv6(r), RandomOptionValues.ipv6(r), relayOptions(r), relayOptions(r)));
        }
        int type;
        do {
            type = r.nextInt(256);
        } while (Dhcp6MessageType.isRelay(type));
        int xid = r.nextInt(Dhcp6Message.MAX_XID + 1);

        ByteBuf out = Unpooled.buffer();
        // Start somewhere inside the buffer: the writer must not assume index 0.
        out.writeZero(r.nextInt(5));
        int start = out.writerIndex();
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(out);
        for (Envelope e : relays) {
            if (r.nextBoolean()) {
                w.relayHeader(e.type, e.hops, e.link, e.peer);
            } else {
                ByteBuf a = Unpooled.wrappedBuffer(e.link.getAddress(), e.peer.getAddress());
                w.relayHeader(e.type, e.hops, a.getLong(0), a.getLong(8), a.getLong(16), a.getLong(24));
            }
            e.before.forEach(o -> w.option(o.code, o.value));
            w.openRelayMessage();
        }
        w.header(type, xid);
        List<Opt> options = new ArrayList<>();
        for (int i = 0, n = r.nextInt(14); i < n; i++) {
            options.add(writeOption(r, w));
        }
        for (int level = relays.size() - 1; level >= 0; level--) {
            w.close();
            relays.get(level).after.forEach(o -> w.option(o.code, o.value));
        }
        int length = w.finish();
        assertEquals(out.writerIndex() - start, length);
        return new Written(ByteBufUtil.getBytes(out, start, length), relays, type, xid, options);
    }

    private static List<Opt> relayOptions(Random r) {
        List<Opt> out = new ArrayList<>();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            switch (r.nextInt(3)) {
                case 0: out.add(new Opt(Dhcp6Options.INTERFACE_ID.code(), bytes(r, 1 + r.nextInt(8)), null)); break;
                case 1: out.add(typed(Dhcp6Options.REMOTE_ID, r)); break;
                default: out.add(new Opt(100 + r.nextInt(60000), bytes(r, r.nextInt(12)), null));
            }
        }
        return out;
    }

    /** Writes one random option the way an engine would, and returns what it should read back. */
    private static Opt writeOption(Random r, Dhcp6MessageWriter w) {
        switch (r.nextInt(6)) {
            case 0: {
                // An IA_NA built with the container helpers.
                long iaid = Dhcp6Fixtures.u32(r);
                long t1 = Dhcp6Fixtures.u32(r);
                long t2 = Dhcp6Fixtures.u32(r);
                List<IaAddress> addresses = new ArrayList<>();
                w.openIaNa(iaid, t1, t2);
                for (int i = 0, n = r.nextInt(3); i < n; i++) {
                    Inet6Address a = RandomOptionValues.ipv6(r);
                    long pl = Dhcp6Fixtures.u32(r);
                    long vl = Dhcp6Fixtures.u32(r);
                    ByteBuf b = Unpooled.wrappedBuffer(a.getAddress());
                    if (r.nextBoolean()) {
                        w.iaAddress(b.getLong(0), b.getLong(8), pl, vl);
                        addresses.add(new IaAddress(a, pl, vl));
                    } else {
                        StatusCode s = Dhcp6Fixtures.statusCode(r);
                        w.openIaAddress(b, 0, pl, vl).statusCode(s.code(), s.message()).close();
                        addresses.add(IaAddress.of(a, pl, vl, s));
                    }
                }
                StatusCode status = r.nextBoolean() ? Dhcp6Fixtures.statusCode(r) : null;
                if (status != null) {
                    w.statusCode(status.code(), status.message());
                }
                w.close();
                IaNa ia = IaNa.of(iaid, t1, t2, addresses, status);
                return new Opt(Dhcp6Options.IA_NA.code(), Dhcp6Options.IA_NA.encode(ia), ia);
            }
            case 1: {
                // An unknown code, raw.
                Opt o = new Opt(r.nextBoolean() ? 84 + r.nextInt(100) : 256 + r.nextInt(65280), bytes(r, r.nextInt(20)), null);
                w.option(o.code, Unpooled.wrappedBuffer(o.value));
                return o;
            }
            default: {
                OptionDef<?> def = DEFS.get(r.nextInt(DEFS.size()));
                Opt o = typed(def, r);
                if (r.nextBoolean()) {
                    writeTyped(w, def, o.typed);
                } else {
                    w.option(o.code, Octets.of(o.value));
                }
                return o;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void writeTyped(Dhcp6MessageWriter w, OptionDef<T> def, Object value) {
        w.option(def, (T) value);
    }

    private static <T> Opt typed(OptionDef<T> def, Random r) {
        T value = RandomOptionValues.value(def, r);
        return new Opt(def.code(), def.encode(value), value);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    // ---- properties -----------------------------------------------------------------------------

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomValidMessagesRoundTrip(long seed) {
        Random r = new Random(seed);
        Dhcp6RelayChain chain = new Dhcp6RelayChain();
        for (int round = 0; round < 25; round++) {
            Written written = randomMessage(r, round % 5 == 0 ? Dhcp6RelayChain.HOP_COUNT_LIMIT : 3);
            String where = "seed=" + seed + " round=" + round + " bytes=" + ByteBufUtil.hexDump(written.bytes);
            try {
                chain.reset(Unpooled.wrappedBuffer(written.bytes));
                assertEquals(written.relays.size(), chain.depth(), where);
                for (int level = 0; level < chain.depth(); level++) {
                    Envelope e = written.relays.get(level);
                    Dhcp6Message m = chain.relay(level);
                    assertEquals(e.type, m.messageType(), where);
                    assertEquals(e.hops, m.hopCount(), where);
                    assertEquals(-1, m.xid(), where);
                    assertEquals(e.link, m.linkAddress(), where);
                    assertEquals(e.peer, m.peerAddress(), where);
                    List<Opt> expected = new ArrayList<>(e.before);
                    expected.add(new Opt(Dhcp6Options.RELAY_MSG.code(), null, null));
                    expected.addAll(e.after);
                    assertOptions(expected, m, where + " level=" + level);
                }
                Dhcp6Message m = chain.message();
                assertEquals(written.type, m.messageType(), where);
                assertEquals(written.xid, m.xid(), where);
                assertEquals(-1, m.hopCount(), where);
                assertOptions(written.options, m, where);
                assertArrayEquals(written.bytes, Dhcp6Fixtures.reencode(chain), where);
            } catch (MalformedPacketException e) {
                fail(where, e);
            }
        }
    }

    private static void assertOptions(List<Opt> expected, Dhcp6Message m, String where) {
        assertEquals(expected.stream().map(Opt::code).toList(),
                IntStream.range(0, m.optionCount()).map(m::optionCode).boxed().toList(), "codes " + where);
        for (int i = 0; i < expected.size(); i++) {
            Opt o = expected.get(i);
            if (o.value != null) {
                assertEquals(ByteBufUtil.hexDump(o.value), ByteBufUtil.hexDump(m.optionValueAt(i)), "value " + i + " " + where);
            }
            if (o.typed != null) {
                assertEquals(o.typed, m.optionAt(i, Dhcp6Options.TABLE.byCode(o.code)), "typed " + i + " " + where);
            }
        }
        Dhcp6Fixtures.assertTypedRoundTrip(m, where);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void anyBytesDecodeOrThrowTheOneException(long seed) {
        Random r = new Random(seed);
        Dhcp6RelayChain chain = new Dhcp6RelayChain();
        for (int round = 0; round < 300; round++) {
            byte[] input = round % 3 == 0 ? noise(r) : mutate(r, randomMessage(r, round % 2 == 0 ? 4 : 0).bytes);
            String where = "seed=" + seed + " round=" + round + " bytes=" + ByteBufUtil.hexDump(input);
            try {
                chain.reset(Unpooled.wrappedBuffer(input));
            } catch (MalformedPacketException expected) {
                assertFalse(chain.isValid(), where);
                continue;
            } catch (RuntimeException e) {
                fail("not the one exception: " + where, e);
            }
            try {
                assertArrayEquals(input, Dhcp6Fixtures.reencode(chain), where);
                for (int level = 0; level <= chain.depth(); level++) {
                    Dhcp6Message m = level < chain.depth() ? chain.relay(level) : chain.message();
                    Dhcp6Fixtures.assertTypedRoundTrip(m, where);
                    m.label();
                    m.clientIdMac();
                    m.linkLayerMac();
                    m.requests(23);
                }
            } catch (RuntimeException e) {
                fail(where, e);
            }
        }
    }

    /** Random bytes whose first byte is usually a real message type, so they get past the header. */
    private static byte[] noise(Random r) {
        byte[] b = bytes(r, r.nextInt(120));
        if (b.length > 0 && r.nextBoolean()) {
            b[0] = (byte) (1 + r.nextInt(13));
        }
        return b;
    }

    /** A valid message damaged: bytes flipped, lengths rewritten, cut short, or grown. */
    private static byte[] mutate(Random r, byte[] valid) {
        byte[] b = valid.clone();
        for (int i = 0, n = 1 + r.nextInt(3); i < n && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0:
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    break;
                case 1:
                    b[at] = (byte) r.nextInt(256);
                    if (at + 1 < b.length) {
                        b[at + 1] = (byte) r.nextInt(256);
                    }
                    break;
                case 2:
                    b = Arrays.copyOf(b, at);
                    break;
                default:
                    b = Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
            }
        }
        return b;
    }

    static IntStream depths() {
        return IntStream.rangeClosed(0, Dhcp6RelayChain.HOP_COUNT_LIMIT);
    }

    @ParameterizedTest(name = "depth={0}")
    @MethodSource("depths")
    void relayChainsOfEveryDepthUpToTheLimitDecode(int depth) {
        byte[] solicit = Dhcp6Fixtures.solicit(Dhcp6Fixtures.hex("0001000132951309fa163e000013"));
        byte[] bytes = Dhcp6Fixtures.relayForw(solicit, depth);
        Dhcp6RelayChain chain = Dhcp6RelayChain.wrap(bytes);
        assertEquals(depth, chain.depth());
        assertEquals(depth > 0, chain.isRelayed());
        for (int level = 0; level < depth; level++) {
            Dhcp6Message relay = chain.relay(level);
            assertEquals(Dhcp6MessageType.RELAY_FORW.code(), relay.messageType());
            assertEquals(depth - 1 - level, relay.hopCount(), "hop counts count up outwards");
        }
        assertEquals(Dhcp6MessageType.SOLICIT.code(), chain.message().messageType());
        assertEquals(0xc6f91a, chain.message().xid());
        assertArrayEquals(solicit, ByteBufUtil.getBytes(chain.message().buffer(), chain.message().baseIndex(),
                chain.message().length()));
        assertArrayEquals(bytes, Dhcp6Fixtures.reencode(chain));

        // The reply goes back through every relay, each envelope answering its own.
        ByteBuf reply = Unpooled.buffer();
        int length = new Dhcp6MessageWriter().begin(reply).relayReplies(chain)
                .replyTo(chain.message(), Dhcp6MessageType.REPLY.code())
                .echo(chain.message(), Dhcp6Options.CLIENT_ID.code())
                .finish();
        assertEquals(reply.readableBytes(), length);
        Dhcp6RelayChain back = Dhcp6RelayChain.wrap(reply);
        assertEquals(depth, back.depth());
        for (int level = 0; level < depth; level++) {
            assertEquals(Dhcp6MessageType.RELAY_REPL.code(), back.relay(level).messageType());
            assertEquals(chain.relay(level).hopCount(), back.relay(level).hopCount());
            assertEquals(chain.relay(level).linkAddress(), back.relay(level).linkAddress());
            assertEquals(chain.relay(level).peerAddress(), back.relay(level).peerAddress());
        }
        assertEquals(0xc6f91a, back.message().xid());
        assertEquals(chain.message().clientIdMac(), back.message().clientIdMac());
    }

    @Test
    void oneEnvelopeDeeperThanTheLimitIsRejected() {
        byte[] solicit = Dhcp6Fixtures.solicit(Dhcp6Fixtures.hex("0001000132951309fa163e000013"));
        Dhcp6RelayChain chain = new Dhcp6RelayChain();
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> chain.reset(Unpooled.wrappedBuffer(Dhcp6Fixtures.relayForw(solicit, Dhcp6RelayChain.HOP_COUNT_LIMIT + 1))));
        assertEquals(MalformedPacketException.Reason.RELAY_TOO_DEEP, e.reason());
        assertFalse(chain.isValid());
        assertThrows(IllegalStateException.class, chain::message);
        // The chain is reusable after a rejection.
        assertEquals(0, chain.reset(Unpooled.wrappedBuffer(solicit)).depth());
    }

    @Test
    void aFarDeeperChainIsRejectedWithoutReadingPastTheLimit() {
        // 1700 envelopes: close to the largest UDP datagram. The walk stops at level 33.
        byte[] bytes = Dhcp6Fixtures.relayForw(Dhcp6Fixtures.message(11, 1), 1700);
        assertTrue(bytes.length <= Dhcp6Message.MAX_LENGTH, "fits a datagram: " + bytes.length);
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Dhcp6RelayChain.wrap(bytes));
        assertEquals(MalformedPacketException.Reason.RELAY_TOO_DEEP, e.reason());
    }

    @Test
    void theWriterRefusesAHopCountPastTheLimit() {
        Dhcp6MessageWriter w = new Dhcp6MessageWriter().begin(Unpooled.buffer());
        Inet6Address any = IpAddresses.parseIpv6("::");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.relayHeader(Dhcp6MessageType.RELAY_FORW.code(), 40, any, any));
        assertEquals("hop count: 40 (expected: 0..32)", e.getMessage());
    }
}
