package io.leasehold.netns;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds rtnetlink datagrams the way the kernel lays them out, for parser tests. */
final class NetlinkMessages {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static NetlinkMessages datagram() {
        return new NetlinkMessages();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** An RTM_NEWLINK/RTM_DELLINK with IFLA_IFNAME, IFLA_MTU and IFLA_ADDRESS. */
    NetlinkMessages link(int type, int flags, int seq, int ifindex, int ifflags, String name, int mtu, byte[] mac) {
        ByteBuffer body = host(16);
        body.put(0, (byte) 0).putShort(2, (short) 1).putInt(4, ifindex).putInt(8, ifflags);
        byte[] attrs = concat(attr(3, cString(name)), attr(4, host(4).putInt(0, mtu).array()), attr(1, mac));
        return message(type, flags, seq, concat(body.array(), attrs));
    }

    /** An RTM_NEWADDR/RTM_DELADDR with IFA_ADDRESS (and IFA_LOCAL for IPv4, as the kernel sends). */
    NetlinkMessages address(int type, int seq, int family, int prefix, int scope, int ifindex, byte[] address) {
        ByteBuffer body = host(8);
        body.put(0, (byte) family).put(1, (byte) prefix).put(2, (byte) 0x80).put(3, (byte) scope).putInt(4, ifindex);
        byte[] attrs = family == 2 ? concat(attr(1, address), attr(2, address), attr(8, host(4).putInt(0, 0x80).array()))
                : concat(attr(1, address), attr(8, host(4).putInt(0, 0x80).array()));
        return message(type, 0, seq, concat(body.array(), attrs));
    }

    NetlinkMessages done(int seq, int flags) {
        return message(Rtnetlink.NLMSG_DONE, Rtnetlink.NLM_F_MULTI | flags, seq, host(4).array());
    }

    NetlinkMessages error(int seq, int negativeErrno) {
        ByteBuffer body = host(4 + 16);
        body.putInt(0, negativeErrno);
        return message(Rtnetlink.NLMSG_ERROR, 0, seq, body.array());
    }

    /** Any message: header plus body, padded to 4 as NLMSG_ALIGN does. */
    NetlinkMessages message(int type, int flags, int seq, byte[] body) {
        ByteBuffer header = host(16);
        header.putInt(0, 16 + body.length).putShort(4, (short) type).putShort(6, (short) flags).putInt(8, seq).putInt(12, 0);
        out.writeBytes(header.array());
        out.writeBytes(body);
        out.writeBytes(new byte[(4 - body.length % 4) % 4]);
        return this;
    }

    /** Raw bytes, for deliberately broken input. */
    NetlinkMessages raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    static byte[] attr(int type, byte[] value) {
        int len = 4 + value.length;
        ByteBuffer b = host((len + 3) & ~3);
        b.putShort(0, (short) len).putShort(2, (short) type).put(4, value);
        return b.array();
    }

    static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, c, 0, bytes.length);
        return c;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static ByteBuffer host(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
