package io.leasehold.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsPtrRecord;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS decisions of one query, over raw messages: a query is answered here when it asks for a
 * local name (or the PTR of a local address), refused when there is nowhere to forward it, and
 * otherwise forwarded byte for byte (only the ID changes), so that nothing an upstream answers, EDNS,
 * DNSSEC records or compressed names inside record data, is lost in a decode and re-encode.
 *
 * <p>Questions are decoded and answers encoded with Netty's DNS codec
 * ({@link DnsRecordDecoder#decodeQuestion}, {@link DnsRecordEncoder#encodeQuestion},
 * {@link DnsRecordEncoder#encodeRecord}); the 12-byte header is read and written here
 * (RFC 1035 §4.1.1).
 *
 * <p>As dnsmasq answers from its hosts files (rfc1035.c {@code answer_request}): TTL
 * {@code --local-ttl}, 0 by default; AA set; RA set. A local name with no address of the type asked
 * is treated as any other name (forwarded, or refused without upstreams), as dnsmasq does.
 */
public final class DnsMessages {

    /** The DNS header's length (RFC 1035 §4.1.1). */
    public static final int HEADER_LENGTH = 12;

    private static final int QR = 0x8000;
    private static final int AA = 0x0400;
    private static final int RD = 0x0100;
    private static final int RA = 0x0080;
    private static final int OPCODE_MASK = 0x7800;

    /** dnsmasq's default {@code --local-ttl}. */
    static final long LOCAL_TTL = 0;

    /** What to do with a query. */
    public enum Action { ANSWER, FORWARD, REFUSE, DROP }

    /**
     * The decision for one query.
     *
     * @param action   what to do
     * @param response the response to send for ANSWER and REFUSE (the caller releases it), else null
     * @param name     the question's name, for logs (null when undecodable)
     */
    public record Decision(Action action, ByteBuf response, String name) {
    }

    private DnsMessages() {
    }

    /** The message's ID. */
    public static int id(ByteBuf message) {
        return message.getUnsignedShort(message.readerIndex());
    }

    /** Sets the message's ID in place. */
    public static void id(ByteBuf message, int id) {
        message.setShort(message.readerIndex(), id);
    }

    /**
     * Decides what to do with {@code query} (its readable bytes, left untouched).
     *
     * @param canForward whether there is an upstream server to forward to
     */
    public static Decision decide(ByteBuf query, LocalNames names, boolean canForward, ByteBufAllocator alloc) {
        int start = query.readerIndex();
        if (query.readableBytes() < HEADER_LENGTH) {
            return new Decision(Action.DROP, null, null);
        }
        int flags = query.getUnsignedShort(start + 2);
        int qdCount = query.getUnsignedShort(start + 4);
        if ((flags & QR) != 0) {
            return new Decision(Action.DROP, null, null);   // a response: not for us
        }
        DnsQuestion q = null;
        if (qdCount == 1) {
            ByteBuf in = query.duplicate();
            in.readerIndex(start + HEADER_LENGTH);
            try {
                q = DnsRecordDecoder.DEFAULT.decodeQuestion(in);
            } catch (Exception e) {   // CorruptedFrameException, IndexOutOfBoundsException: malformed
                return new Decision(Action.DROP, null, null);
            }
        }
        if (q != null && (flags & OPCODE_MASK) == 0) {
            List<DnsRecord> answers = localAnswers(q, names);
            if (answers != null) {
                return new Decision(Action.ANSWER, response(query, q, flags, AA, DnsResponseCode.NOERROR, answers, alloc),
                        q.name());
            }
        }
        if (canForward) {
            return new Decision(Action.FORWARD, null, q != null ? q.name() : null);
        }
        return new Decision(Action.REFUSE, response(query, q, flags, 0, DnsResponseCode.REFUSED, List.of(), alloc),
                q != null ? q.name() : null);
    }

    /** The local answers to {@code q}, or null when the name is not local. */
    static List<DnsRecord> localAnswers(DnsQuestion q, LocalNames names) {
        String name = q.name();
        DnsRecordType type = q.type();
        if (type == DnsRecordType.PTR) {
            String target = names.pointer(name);
            if (target != null) {
                return List.of(new DefaultDnsPtrRecord(name, q.dnsClass(), LOCAL_TTL, target + "."));
            }
        }
        if (!names.contains(name)) {
            return null;
        }
        List<DnsRecord> out = new ArrayList<>();
        boolean any = type == DnsRecordType.ANY;
        if (type == DnsRecordType.A || any) {
            for (InetAddress a : names.addresses(name, false)) {
                out.add(new DefaultDnsRawRecord(name, DnsRecordType.A, LOCAL_TTL, Unpooled.wrappedBuffer(a.getAddress())));
            }
        }
        if (type == DnsRecordType.AAAA || any) {
            for (InetAddress a : names.addresses(name, true)) {
                out.add(new DefaultDnsRawRecord(name, DnsRecordType.AAAA, LOCAL_TTL, Unpooled.wrappedBuffer(a.getAddress())));
            }
        }
        // A local name without a record of the type asked is not answered here: dnsmasq 2.90
        // forwards it (DnsIT, side by side), and refuses it when there is no upstream.
        return out.isEmpty() ? null : out;
    }

    private static ByteBuf response(ByteBuf query, DnsQuestion q, int queryFlags, int aa, DnsResponseCode rcode,
                                    List<DnsRecord> answers, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(512);
        try {
            out.writeShort(id(query));
            out.writeShort(QR | (queryFlags & (OPCODE_MASK | RD)) | aa | RA | rcode.intValue());
            out.writeShort(q != null ? 1 : 0);
            out.writeShort(answers.size());
            out.writeShort(0);
            out.writeShort(0);
            if (q != null) {
                DnsRecordEncoder.DEFAULT.encodeQuestion(q, out);
            }
            for (DnsRecord r : answers) {
                DnsRecordEncoder.DEFAULT.encodeRecord(r, out);
            }
            return out;
        } catch (Exception e) {
            out.release();
            throw new IllegalStateException("encoding a DNS response: " + e, e);
        } finally {
            for (DnsRecord r : answers) {
                io.netty.util.ReferenceCountUtil.release(r);
            }
        }
    }
}
