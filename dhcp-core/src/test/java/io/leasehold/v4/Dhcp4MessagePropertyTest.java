package io.leasehold.v4;

import io.leasehold.option.OptionDef;
import io.leasehold.testing.Captures;
import io.leasehold.testing.RandomOptionValues;
import io.leasehold.testing.Seeds;
import io.leasehold.frame.Ipv4UdpFrame;
import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeded properties of the DHCPv4 codec; each case's seed is in its name. */
class Dhcp4MessagePropertyTest {

    static LongStream seeds() {
        return Seeds.of(40);
    }

    /** A message as the model sees it: header fields and each option's (concatenated) value. */
    record Model(int op, int htype, int hlen, int hops, int xid, int secs, int flags, int ciaddr, int yiaddr,
                 int siaddr, int giaddr, Octets chaddr, Map<Integer, Octets> options) {
    }

    static Model randomModel(Random r) {
        Map<Integer, Octets> options = new LinkedHashMap<>();
        List<OptionDef<?>> defs = Dhcp4Options.TABLE.all();
        for (int i = 0, n = r.nextInt(25); i < n; i++) {
            int code;
            Octets value;
            if (r.nextInt(4) == 0) {
                // An unknown code with raw bytes, sometimes longer than one occurrence can hold.
                code = 1 + r.nextInt(254);
                value = RandomOptionValues.octets(r, r.nextInt(10) == 0 ? 256 + r.nextInt(600) : r.nextInt(40));
            } else {
                OptionDef<?> d = defs.get(r.nextInt(defs.size()));
                code = d.code();
                value = encoded(d, r);
            }
            if (code == 0 || code == 255 || code == 52) {
                continue;  // the writer's own
            }
            options.putIfAbsent(code, value);
        }
        return new Model(1 + r.nextInt(2), 1, 6, r.nextInt(16), r.nextInt(), r.nextInt(65536), r.nextInt(65536),
                r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), RandomOptionValues.octets(r, 16), options);
    }

    private static <T> Octets encoded(OptionDef<T> d, Random r) {
        return Octets.of(d.encode(RandomOptionValues.value(d, r)));
    }

    static ByteBuf encode(Model m, int maxLength, Dhcp4MessageWriter w) {
        w.reset().op(m.op).htype(m.htype).hlen(m.hlen).hops(m.hops).xid(m.xid).secs(m.secs).flags(m.flags)
                .ciaddr(m.ciaddr).yiaddr(m.yiaddr).siaddr(m.siaddr).giaddr(m.giaddr).chaddr(m.chaddr);
        m.options.forEach(w::option);
        ByteBuf out = Unpooled.buffer();
        w.write(out, maxLength);
        return out;
    }

    static Model decode(Dhcp4Message d) {
        Map<Integer, Octets> options = new LinkedHashMap<>();
        for (int i = 0; i < d.optionCount(); i++) {
            int code = d.optionCode(i);
            if (code != 52 && !options.containsKey(code)) {
                options.put(code, Octets.copyOf(d.optionValue(code)));
            }
        }
        return new Model(d.op(), d.htype(), d.hlen(), d.hops(), d.xid(), d.secs(), d.flags(), d.ciaddr(), d.yiaddr(),
                d.siaddr(), d.giaddr(), d.chaddrField(), options);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void decodeOfEncodeIsTheMessage(long seed) {
        Random r = new Random(seed);
        Dhcp4MessageWriter w = new Dhcp4MessageWriter();
        for (int i = 0; i < 50; i++) {
            Model m = randomModel(r);
            Model back = decode(Dhcp4Message.wrap(encode(m, 65535, w)));
            assertEquals(0, w.droppedCount());
            assertEquals(m, back, "seed=" + seed + " message " + i);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void withinASizeLimitEveryOptionArrivesOrIsCountedAsDropped(long seed) {
        Random r = new Random(seed);
        Dhcp4MessageWriter w = new Dhcp4MessageWriter();
        for (int i = 0; i < 50; i++) {
            Model m = randomModel(r);
            int limit = r.nextBoolean() ? Dhcp4MessageWriter.DEFAULT_MAX_LENGTH : 300 + r.nextInt(1200);
            ByteBuf out = encode(m, limit, w);
            assertTrue(out.readableBytes() <= limit, "seed=" + seed + ": " + out.readableBytes() + " > " + limit);
            Dhcp4Message d = Dhcp4Message.wrap(out);
            for (Map.Entry<Integer, Octets> e : m.options.entrySet()) {
                if (w.wasDropped(e.getKey())) {
                    assertTrue(!d.hasOption(e.getKey()), "seed=" + seed + " dropped " + e.getKey() + " yet present");
                } else {
                    assertEquals(e.getValue(), Octets.copyOf(d.optionValue(e.getKey())), "seed=" + seed + " option " + e.getKey());
                }
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void rfc3396SplitThenConcatenateIsTheIdentity(long seed) {
        Random r = new Random(seed);
        Dhcp4MessageWriter w = new Dhcp4MessageWriter();
        for (int i = 0; i < 50; i++) {
            Octets value = RandomOptionValues.octets(r, r.nextInt(2000));
            int code = 1 + r.nextInt(254);
            if (code == 52) {
                continue;
            }
            w.reset().op(1).htype(1).hlen(6).option(code, value);
            ByteBuf out = Unpooled.buffer();
            w.write(out, 65535);
            Dhcp4Message d = Dhcp4Message.wrap(out);
            assertEquals(value, Octets.copyOf(d.optionValue(code)), "seed=" + seed);
            assertEquals(value.length() > 255, d.isSplit(code));
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void anyBytesDecodeOrThrowTheOneException(long seed) {
        Random r = new Random(seed);
        List<byte[]> sources = new ArrayList<>();
        for (Captures.Frame f : Captures.frames(name -> name.contains("-v4-"))) {
            sources.add(ByteBufUtil.getBytes(Ipv4UdpFrame.wrap(Unpooled.wrappedBuffer(f.bytes())).payload()));
        }
        for (int i = 0; i < 500; i++) {
            byte[] bytes;
            if (r.nextBoolean()) {
                bytes = new byte[r.nextInt(700)];
                r.nextBytes(bytes);
                if (bytes.length >= 240 && r.nextBoolean()) {
                    bytes[236] = 99; bytes[237] = (byte) 130; bytes[238] = 83; bytes[239] = 99;
                    bytes[2] = 6;
                }
            } else {
                // A real message, damaged: flipped bytes, truncated, or extended with noise.
                byte[] base = sources.get(r.nextInt(sources.size()));
                bytes = java.util.Arrays.copyOf(base, Math.max(0, base.length + r.nextInt(40) - 30));
                for (int k = 0, n = 1 + r.nextInt(6); k < n && bytes.length > 0; k++) {
                    bytes[236 + r.nextInt(Math.max(1, bytes.length - 236)) % bytes.length] = (byte) r.nextInt();
                }
            }
            exercise(bytes);
        }
    }

    /**
     * Decodes {@code bytes} and reads every option with its definition: nothing but the one
     * exception may escape, and a readable message re-encodes to the same option values.
     */
    static void exercise(byte[] bytes) {
        Dhcp4Message m;
        try {
            m = Dhcp4Message.wrap(bytes);
        } catch (MalformedPacketException expected) {
            return;
        }
        m.messageType();
        m.label();
        m.sname();
        m.file();
        Dhcp4MessageWriter w = new Dhcp4MessageWriter().minimumLength(0);
        w.op(m.op()).htype(m.htype()).hlen(m.hlen()).xid(m.xid());
        for (int i = 0; i < m.optionCount(); i++) {
            int code = m.optionCode(i);
            OptionDef<?> def = Dhcp4Options.TABLE.byCode(code);
            def.formatWire(m.optionValue(code));
            m.option(def);
            if (code != 52) {
                w.option(code, m.buffer(), m.optionValueIndex(i), m.optionLength(i));
            }
        }
        ByteBuf out = Unpooled.buffer();
        w.write(out, 65535);
        Dhcp4Message again = Dhcp4Message.wrap(out);
        for (int i = 0; i < m.optionCount(); i++) {
            int code = m.optionCode(i);
            if (code != 52) {
                assertArrayEquals(ByteBufUtil.getBytes(m.optionValue(code)), ByteBufUtil.getBytes(again.optionValue(code)),
                        "option " + code);
            }
        }
    }
}
