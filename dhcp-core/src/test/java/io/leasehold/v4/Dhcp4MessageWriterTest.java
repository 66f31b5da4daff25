package io.leasehold.v4;

import io.leasehold.option.ClasslessRoute;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the writer lays out a reply: padding, limits, overload, long options, dropped options. */
class Dhcp4MessageWriterTest {

    private static Dhcp4MessageWriter ack() {
        Dhcp4MessageWriter w = new Dhcp4MessageWriter();
        w.op(2).htype(1).hlen(6).xid(0x1234).yiaddr(0x0a4d000b)
                .chaddr(Octets.parseHex("fa:16:3e:00:00:11"))
                .optionU8(53, 5)
                .optionU32(54, 0x0a4d0002);
        return w;
    }

    @Test
    void aSmallReplyIsPaddedToTheBootpMinimum() {
        ByteBuf out = Unpooled.buffer();
        int n = ack().write(out, Dhcp4MessageWriter.DEFAULT_MAX_LENGTH);
        assertEquals(300, n);
        Dhcp4Message m = Dhcp4Message.wrap(out);
        assertEquals(5, m.messageType());
        assertEquals(0x0a4d0002, m.ipv4Option(54));
        assertEquals("fa:16:3e:00:00:11", m.chaddr().toHex());
        assertEquals(0, m.overload());
    }

    @Test
    void replyToCopiesTheRequestsIdentity() {
        Dhcp4MessageWriter req = new Dhcp4MessageWriter();
        req.op(1).htype(1).hlen(6).xid(0xabcdef01).flags(0x8000).giaddr(0x0a000001)
                .chaddr(Octets.parseHex("fa:16:3e:00:00:99")).optionU8(53, 1);
        ByteBuf reqBuf = Unpooled.buffer();
        req.write(reqBuf, 548);
        Dhcp4Message request = Dhcp4Message.wrap(reqBuf);

        ByteBuf out = Unpooled.buffer();
        new Dhcp4MessageWriter().replyTo(request).optionU8(53, 2).write(out, 548);
        Dhcp4Message reply = Dhcp4Message.wrap(out);
        assertEquals(Dhcp4Message.OP_BOOTREPLY, reply.op());
        assertEquals(0xabcdef01, reply.xid());
        assertTrue(reply.broadcast());
        assertEquals(0x0a000001, reply.giaddr());
        assertEquals(request.macAddress(), reply.macAddress());
    }

    @Test
    void optionsThatDoNotFitOverflowIntoFileThenSname() {
        Dhcp4MessageWriter w = ack();
        // 548 bytes leave 304 octets of options besides option 52. After 53 and 54 (9), four
        // 62-octet options fit; two more fill 'file' (127) and the last goes to 'sname' (63).
        for (int code = 200; code < 207; code++) {
            w.option(code, Octets.of(new byte[60]));
        }
        ByteBuf out = Unpooled.buffer();
        int n = w.write(out, 548);
        assertTrue(n <= 548, "length " + n);
        assertEquals(0, w.droppedCount());
        Dhcp4Message m = Dhcp4Message.wrap(out);
        assertEquals(Dhcp4Message.OVERLOAD_FILE | Dhcp4Message.OVERLOAD_SNAME, m.overload());
        for (int code = 200; code < 207; code++) {
            assertTrue(m.hasOption(code), "option " + code);
            assertEquals(60, m.optionValue(code).readableBytes());
        }
        assertNull(m.file(), "file holds options, not a name");
        assertNull(m.sname(), "sname holds options, not a name");
        // Option 52 is the first option, as clients scan for it before reading the fields.
        assertEquals(52, m.optionCode(0));
        // The message-type and server-id stay in the options field, where every client looks.
        assertTrue(m.optionValueIndex(m.indexOf(53)) >= Dhcp4Message.OPTIONS_OFFSET);
    }

    @Test
    void whatFitsNowhereIsDroppedAndCounted() {
        Dhcp4MessageWriter w = ack().file("pxelinux.0").sname("boot");
        w.option(Dhcp4Options.HOST_NAME, "vm");
        for (int code = 200; code < 210; code++) {
            w.option(code, Octets.of(new byte[120]));
        }
        ByteBuf out = Unpooled.buffer();
        int n = w.write(out, 548);
        assertTrue(n <= 548);
        assertTrue(w.droppedCount() > 0);
        assertFalse(w.wasDropped(53));
        assertFalse(w.wasDropped(12));
        Dhcp4Message m = Dhcp4Message.wrap(out);
        assertEquals("pxelinux.0", m.file());
        assertEquals("boot", m.sname());
        assertEquals("vm", m.option(Dhcp4Options.HOST_NAME));
        for (int code = 200; code < 210; code++) {
            assertEquals(!w.wasDropped(code), m.hasOption(code), "option " + code);
        }
    }

    @Test
    void aLargerMaximumMessageSizeIsUsedBeforeOverloading() {
        Dhcp4MessageWriter w = ack();
        for (int code = 200; code < 205; code++) {
            w.option(code, Octets.of(new byte[98]));
        }
        ByteBuf out = Unpooled.buffer();
        int n = w.write(out, 1472 - 28);
        assertTrue(n > 548);
        assertEquals(0, Dhcp4Message.wrap(out).overload());
    }

    @Test
    void longOptionsAreSplitAndConcatenatedAgain() {
        byte[] big = new byte[700];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Dhcp4MessageWriter w = ack().option(43, Octets.of(big));
        ByteBuf out = Unpooled.buffer();
        w.write(out, 1500);
        Dhcp4Message m = Dhcp4Message.wrap(out);
        assertTrue(m.isSplit(43));
        assertEquals(3 + 2, m.optionCount(), "53, 54 and three pieces of 43");
        assertArrayEquals(big, ByteBufUtil.getBytes(m.optionValue(43)));
    }

    @Test
    void typedOptionsAreEncodedByTheirCodec() {
        Dhcp4MessageWriter w = ack()
                .option(Dhcp4Options.CLASSLESS_STATIC_ROUTE, ClasslessRoute.parseList("169.254.169.254/32,10.77.0.2,0.0.0.0/0,10.77.0.1"))
                .option(Dhcp4Options.DOMAIN_SEARCH, List.of("openstacklocal", "lab.example"))
                .option(Dhcp4Options.DOMAIN_NAME_SERVERS, List.of(IpAddresses.parseIpv4("10.77.0.3")));
        ByteBuf out = Unpooled.buffer();
        w.write(out, 548);
        Dhcp4Message m = Dhcp4Message.wrap(out);
        assertEquals(List.of("openstacklocal", "lab.example"), m.option(Dhcp4Options.DOMAIN_SEARCH));
        assertEquals("169.254.169.254/32,10.77.0.2,0.0.0.0/0,10.77.0.1",
                Dhcp4Options.CLASSLESS_STATIC_ROUTE.format(m.option(Dhcp4Options.CLASSLESS_STATIC_ROUTE)));
    }

    @Test
    void refusesWhatCannotBeWritten() {
        Dhcp4MessageWriter w = new Dhcp4MessageWriter();
        assertThrows(IllegalArgumentException.class, () -> w.optionU8(0, 1));
        assertThrows(IllegalArgumentException.class, () -> w.optionU8(255, 1));
        assertThrows(IllegalArgumentException.class, () -> w.hlen(17));
        assertThrows(IllegalArgumentException.class, () -> w.file("x".repeat(128)));
        assertThrows(IllegalArgumentException.class, () -> w.write(Unpooled.buffer(), 299));
    }
}
