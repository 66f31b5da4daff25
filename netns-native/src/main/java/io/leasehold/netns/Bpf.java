package io.leasehold.netns;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Classic BPF programs for {@link Sockets#attachFilter}: the instruction encoding of
 * {@code linux/filter.h} and {@code linux/bpf_common.h}, a validated {@link Program} value, and
 * the two programs the DHCPv4 sockets use.
 *
 * <p>Instructions are built the way the kernel's own macros build them:
 * {@link #stmt(int, int)} is {@code BPF_STMT(code, k)} and {@link #jump(int, int, int, int)} is
 * {@code BPF_JUMP(code, k, jt, jf)}, with the code assembled from the class, size, mode, operation
 * and source constants below ({@code BPF_LD | BPF_H | BPF_ABS}). Jump offsets count instructions
 * after the jump, forward only.
 *
 * @see <a href="https://docs.kernel.org/networking/filter.html">Linux Socket Filtering aka BPF</a>
 */
public final class Bpf {

    // Instruction classes (bpf_common.h: BPF_CLASS(code) = code & 0x07).
    public static final int BPF_LD = 0x00;
    public static final int BPF_LDX = 0x01;
    public static final int BPF_ST = 0x02;
    public static final int BPF_STX = 0x03;
    public static final int BPF_ALU = 0x04;
    public static final int BPF_JMP = 0x05;
    public static final int BPF_RET = 0x06;
    public static final int BPF_MISC = 0x07;

    // Load sizes (bpf_common.h: BPF_SIZE(code) = code & 0x18).
    public static final int BPF_W = 0x00;
    public static final int BPF_H = 0x08;
    public static final int BPF_B = 0x10;

    // Addressing modes (bpf_common.h: BPF_MODE(code) = code & 0xe0).
    public static final int BPF_IMM = 0x00;
    public static final int BPF_ABS = 0x20;
    public static final int BPF_IND = 0x40;
    public static final int BPF_MEM = 0x60;
    public static final int BPF_LEN = 0x80;
    /** {@code ldxb 4*([k]&0xf)}: the IPv4 header length idiom, valid only as {@code BPF_LDX | BPF_B | BPF_MSH}. */
    public static final int BPF_MSH = 0xa0;

    // ALU and jump operations (bpf_common.h: BPF_OP(code) = code & 0xf0).
    public static final int BPF_ADD = 0x00;
    public static final int BPF_SUB = 0x10;
    public static final int BPF_MUL = 0x20;
    public static final int BPF_DIV = 0x30;
    public static final int BPF_OR = 0x40;
    public static final int BPF_AND = 0x50;
    public static final int BPF_LSH = 0x60;
    public static final int BPF_RSH = 0x70;
    public static final int BPF_NEG = 0x80;
    public static final int BPF_MOD = 0x90;
    public static final int BPF_XOR = 0xa0;
    public static final int BPF_JA = 0x00;
    public static final int BPF_JEQ = 0x10;
    public static final int BPF_JGT = 0x20;
    public static final int BPF_JGE = 0x30;
    public static final int BPF_JSET = 0x40;

    // Operand source (bpf_common.h: BPF_SRC(code) = code & 0x08).
    public static final int BPF_K = 0x00;
    public static final int BPF_X = 0x08;

    // Return value source (filter.h: BPF_RVAL(code) = code & 0x18) and misc operations.
    public static final int BPF_A = 0x10;
    public static final int BPF_TAX = 0x00;
    public static final int BPF_TXA = 0x80;

    /** {@code BPF_MAXINSNS} ({@code bpf_common.h}): the longest program the kernel accepts. */
    public static final int MAX_INSTRUCTIONS = 4096;

    /** {@code BPF_MEMWORDS} ({@code filter.h}): the scratch memory slots M[0..15]. */
    public static final int MEMORY_WORDS = 16;

    /*
     * struct sock_filter (linux/filter.h), 8 bytes, host byte order:
     *   0  u16 code
     *   2  u8  jt
     *   3  u8  jf
     *   4  u32 k
     */
    static final int SOCK_FILTER_SIZE = 8;

    /** The return value that accepts a whole frame: the kernel keeps min(k, frame length) bytes. */
    public static final int ACCEPT_WHOLE = 0xffffffff;

    private Bpf() {
    }

    /** One {@code struct sock_filter}. {@code k} is an unsigned 32-bit value held in an int. */
    public record Instruction(int code, int jt, int jf, int k) {
        public Instruction {
            if (code < 0 || code > 0xffff) {
                throw new IllegalArgumentException("code: " + code + " (expected: 0..65535)");
            }
            if (jt < 0 || jt > 0xff) {
                throw new IllegalArgumentException("jt: " + jt + " (expected: 0..255)");
            }
            if (jf < 0 || jf > 0xff) {
                throw new IllegalArgumentException("jf: " + jf + " (expected: 0..255)");
            }
        }

        /** The instruction class, {@code BPF_CLASS(code)}. */
        public int instructionClass() {
            return code & 0x07;
        }

        @Override
        public String toString() {
            return String.format("{ 0x%02x, %d, %d, 0x%08x }", code, jt, jf, k);
        }
    }

    /** {@code BPF_STMT(code, k)}: a non-jump instruction. */
    public static Instruction stmt(int code, int k) {
        return new Instruction(code, 0, 0, k);
    }

    /** {@code BPF_JUMP(code, k, jt, jf)}: skip {@code jt} instructions if the test holds, else {@code jf}. */
    public static Instruction jump(int code, int k, int jt, int jf) {
        return new Instruction(code, jt, jf, k);
    }

    /**
     * A validated classic BPF program: 1 to {@link #MAX_INSTRUCTIONS} instructions, every jump
     * landing inside the program, the last instruction a return (the checks the kernel's
     * {@code bpf_check_classic} makes about control flow, so a bad program fails here with an
     * index instead of at attach time with EINVAL).
     */
    public static final class Program {

        private final Instruction[] instructions;

        private Program(Instruction[] instructions) {
            this.instructions = instructions;
        }

        /** Validates and wraps {@code instructions}. */
        public static Program of(Instruction... instructions) {
            Instruction[] copy = instructions.clone();
            if (copy.length == 0 || copy.length > MAX_INSTRUCTIONS) {
                throw new IllegalArgumentException("instructions: " + copy.length
                        + " (expected: 1.." + MAX_INSTRUCTIONS + ")");
            }
            for (int i = 0; i < copy.length; i++) {
                Instruction insn = Objects.requireNonNull(copy[i], "instruction " + i);
                if (insn.instructionClass() == BPF_JMP) {
                    long farthest = (insn.code() & 0xf0) == BPF_JA
                            ? i + 1L + (insn.k() & 0xffffffffL)
                            : i + 1L + Math.max(insn.jt(), insn.jf());
                    if (farthest >= copy.length) {
                        throw new IllegalArgumentException("instruction " + i + ": " + insn
                                + " jumps to " + farthest + " (expected: < " + copy.length + ")");
                    }
                }
            }
            Instruction last = copy[copy.length - 1];
            if (last.instructionClass() != BPF_RET) {
                throw new IllegalArgumentException("instruction " + (copy.length - 1) + ": " + last
                        + " (expected: a BPF_RET, so no path falls off the end)");
            }
            return new Program(copy);
        }

        /** Number of instructions ({@code sock_fprog.len}). */
        public int length() {
            return instructions.length;
        }

        /** The instructions, in order. */
        public List<Instruction> instructions() {
            return List.of(instructions);
        }

        /** The {@code struct sock_filter} array as the kernel reads it, in host byte order. */
        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(instructions.length * SOCK_FILTER_SIZE).order(ByteOrder.nativeOrder());
            for (Instruction insn : instructions) {
                b.putShort((short) insn.code()).put((byte) insn.jt()).put((byte) insn.jf()).putInt(insn.k());
            }
            return b.array();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Program && Arrays.equals(instructions, ((Program) o).instructions);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(instructions);
        }

        @Override
        public String toString() {
            return "Program" + Arrays.toString(instructions);
        }
    }

    /*
     * Offsets in an untagged Ethernet II frame (IEEE 802.3 §3.1.1, RFC 791 §3.1, RFC 768).
     */
    private static final int ETHERTYPE = 12;
    private static final int IP = 14;
    private static final int IP_PROTOCOL = IP + 9;
    private static final int IP_FRAGMENT = IP + 6;
    private static final int UDP_DESTINATION_PORT = 2; // from the start of the UDP header
    private static final int IPPROTO_UDP = 17;
    /** More Fragments (0x2000) and the 13-bit fragment offset (0x1fff) of the flags/offset word. */
    private static final int MF_OR_OFFSET = 0x3fff;

    /**
     * Ancillary data: loads at these negative offsets read what the kernel knows of the packet
     * rather than its bytes (linux/filter.h: SKF_AD_OFF, SKF_AD_PKTTYPE; SKF_NET_OFF addresses the
     * network header whatever the socket's view of the packet starts at).
     */
    public static final int SKF_AD_OFF = -0x1000;
    public static final int SKF_AD_PKTTYPE = 4;
    public static final int SKF_NET_OFF = -0x100000;
    /** linux/if_packet.h: a frame this host sent, as a packet socket sees it on the way out. */
    public static final int PACKET_OUTGOING = 4;

    private static final Program DHCP_SERVER_V4 = Program.of(
            /* 0 */ stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
            /* 1 */ jump(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 10, 0),      // our own frames: drop
            /* 2 */ stmt(BPF_LD | BPF_H | BPF_ABS, ETHERTYPE),
            /* 3 */ jump(BPF_JMP | BPF_JEQ | BPF_K, Sockets.ETH_P_IP, 0, 8),        // not IPv4: drop
            /* 4 */ stmt(BPF_LD | BPF_B | BPF_ABS, IP_PROTOCOL),
            /* 5 */ jump(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),            // not UDP: drop
            /* 6 */ stmt(BPF_LD | BPF_H | BPF_ABS, IP_FRAGMENT),
            /* 7 */ jump(BPF_JMP | BPF_JSET | BPF_K, MF_OR_OFFSET, 4, 0),          // any fragment: drop
            /* 8 */ stmt(BPF_LDX | BPF_B | BPF_MSH, IP),                           // X = 4 * IHL
            /* 9 */ stmt(BPF_LD | BPF_H | BPF_IND, IP + UDP_DESTINATION_PORT),     // A = UDP dst port
            /* 10 */ jump(BPF_JMP | BPF_JEQ | BPF_K, 67, 0, 1),                    // not 67: drop
            /* 11 */ stmt(BPF_RET | BPF_K, ACCEPT_WHOLE),
            /* 12 */ stmt(BPF_RET | BPF_K, 0));

    private static final Program DROP_ALL = Program.of(stmt(BPF_RET | BPF_K, 0));

    /**
     * Accepts exactly the frames a DHCPv4 server reads from an {@code AF_PACKET} socket on an
     * untagged Ethernet interface: IPv4, protocol UDP, not a fragment, UDP destination port 67
     * (RFC 2131 §4.1). The UDP header is found past a variable-length IPv4 header with
     * {@code ldxb 4*([14]&0xf)}. Fragments are dropped whether first or not: a packet socket sees
     * frames before reassembly, so a fragmented message can never be read whole. Frames this host
     * sends are dropped too: a packet socket also sees outgoing frames, and a reply sent to a relay
     * agent's port 67 would otherwise come back as a request. A load beyond the end of a short frame
     * makes the kernel drop it.
     */
    public static Program dhcpServerV4() {
        return DHCP_SERVER_V4;
    }

    /**
     * For a UDP socket: accepts only datagrams whose IPv4 source is one of {@code addresses}, drops
     * the rest. The DHCPv4 port holder uses it to take what the packet socket cannot see, a
     * release that {@code dhcp_release} sends from this host to itself (it travels over loopback),
     * without taking a second copy of every broadcast the packet socket already reads.
     *
     * @param addresses IPv4 addresses, network order as ints; none makes the filter drop everything
     */
    public static Program sourceAddressIn(int... addresses) {
        if (addresses.length > 200) {
            throw new IllegalArgumentException("addresses: " + addresses.length + " (expected: at most 200)");
        }
        Instruction[] insns = new Instruction[addresses.length + 3];
        insns[0] = stmt(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 12);                // IPv4 source
        for (int i = 0; i < addresses.length; i++) {
            // Equal: jump to the accept at the end; else try the next address.
            insns[1 + i] = jump(BPF_JMP | BPF_JEQ | BPF_K, addresses[i], addresses.length - i, 0);
        }
        insns[addresses.length + 1] = stmt(BPF_RET | BPF_K, 0);
        insns[addresses.length + 2] = stmt(BPF_RET | BPF_K, ACCEPT_WHOLE);
        return Program.of(insns);
    }

    /**
     * Accepts nothing ({@code ret #0}). Attached to the UDP/67 socket that only holds the port (so
     * the kernel sends no ICMP port-unreachable) while the packet socket reads the traffic.
     */
    public static Program dropAll() {
        return DROP_ALL;
    }
}
