package io.leasehold.netns;

import static io.leasehold.netns.Bpf.*;

/**
 * A classic BPF interpreter for tests, following the semantics the kernel documents for socket
 * filters (docs.kernel.org/networking/filter.html): loads are big-endian, a load beyond the packet
 * or a division by zero ends the program with 0 (drop), and the return value is how many bytes of
 * the packet to keep. Of the ancillary loads, the packet type ({@code SKF_AD_PKTTYPE}) and the
 * network header ({@code SKF_NET_OFF}) are modelled, as our programs use them; others fail the test.
 */
final class BpfInterpreter {

    private BpfInterpreter() {
    }

    /** Runs {@code program} over {@code packet}; the result is the kernel's accept length (0: drop). */
    static int run(Bpf.Program program, byte[] packet) {
        return run(program, packet, 0, packet);
    }

    /**
     * Runs {@code program} as the kernel does for a socket whose view of the packet is
     * {@code packet}, arriving with {@code packetType} (linux/if_packet.h; 0 is PACKET_HOST), and
     * whose network header is {@code network}.
     */
    static int run(Bpf.Program program, byte[] packet, int packetType, byte[] network) {
        Instruction[] insns = program.instructions().toArray(new Instruction[0]);
        int a = 0;
        int x = 0;
        int[] mem = new int[MEMORY_WORDS];
        int pc = 0;
        // Jumps are forward only, so at most one pass; the bound guards a broken interpreter.
        for (int steps = 0; steps <= insns.length; steps++) {
            Instruction in = insns[pc++];
            int code = in.code();
            int k = in.k();
            switch (in.instructionClass()) {
                case BPF_LD -> {
                    switch (code & 0xe0) {
                        case BPF_ABS, BPF_IND -> {
                            if ((code & 0xe0) == BPF_ABS && k == SKF_AD_OFF + SKF_AD_PKTTYPE) {
                                a = packetType;
                                break;
                            }
                            if ((code & 0xe0) == BPF_ABS && k >= SKF_NET_OFF && k < SKF_AD_OFF) {
                                int at = k - SKF_NET_OFF;
                                int size = size(code);
                                if (at + size > network.length) {
                                    return 0;
                                }
                                a = load(network, at, size);
                                break;
                            }
                            long offset = (code & 0xe0) == BPF_ABS ? k & 0xffffffffL : (x & 0xffffffffL) + (k & 0xffffffffL);
                            int size = size(code);
                            if (offset < 0 || offset + size > packet.length) {
                                return 0;
                            }
                            a = load(packet, (int) offset, size);
                        }
                        case BPF_IMM -> a = k;
                        case BPF_LEN -> a = packet.length;
                        case BPF_MEM -> a = mem[k];
                        default -> throw new IllegalArgumentException("unsupported load " + in);
                    }
                }
                case BPF_LDX -> {
                    switch (code & 0xe0) {
                        case BPF_IMM -> x = k;
                        case BPF_LEN -> x = packet.length;
                        case BPF_MEM -> x = mem[k];
                        case BPF_MSH -> {
                            if ((k & 0xffffffffL) >= packet.length) {
                                return 0;
                            }
                            x = 4 * (packet[k] & 0x0f);
                        }
                        default -> throw new IllegalArgumentException("unsupported ldx " + in);
                    }
                }
                case BPF_ST -> mem[k] = a;
                case BPF_STX -> mem[k] = x;
                case BPF_ALU -> {
                    int operand = (code & BPF_X) != 0 ? x : k;
                    switch (code & 0xf0) {
                        case BPF_ADD -> a += operand;
                        case BPF_SUB -> a -= operand;
                        case BPF_MUL -> a *= operand;
                        case BPF_DIV -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.divideUnsigned(a, operand);
                        }
                        case BPF_MOD -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.remainderUnsigned(a, operand);
                        }
                        case BPF_OR -> a |= operand;
                        case BPF_AND -> a &= operand;
                        case BPF_XOR -> a ^= operand;
                        case BPF_LSH -> a <<= operand;
                        case BPF_RSH -> a >>>= operand;
                        case BPF_NEG -> a = -a;
                        default -> throw new IllegalArgumentException("unsupported alu " + in);
                    }
                }
                case BPF_JMP -> {
                    int operand = (code & BPF_X) != 0 ? x : k;
                    boolean taken;
                    switch (code & 0xf0) {
                        case BPF_JA -> {
                            pc += k;
                            continue;
                        }
                        case BPF_JEQ -> taken = a == operand;
                        case BPF_JGT -> taken = Integer.compareUnsigned(a, operand) > 0;
                        case BPF_JGE -> taken = Integer.compareUnsigned(a, operand) >= 0;
                        case BPF_JSET -> taken = (a & operand) != 0;
                        default -> throw new IllegalArgumentException("unsupported jump " + in);
                    }
                    pc += taken ? in.jt() : in.jf();
                }
                case BPF_RET -> {
                    int value = (code & 0x18) == BPF_A ? a : k;
                    // The kernel keeps min(value, length) bytes.
                    return (int) Math.min(value & 0xffffffffL, packet.length);
                }
                case BPF_MISC -> {
                    if ((code & 0xf8) == BPF_TXA) {
                        a = x;
                    } else {
                        x = a;
                    }
                }
                default -> throw new IllegalArgumentException("unsupported class " + in);
            }
        }
        throw new IllegalStateException("program did not return: " + program);
    }

    private static int size(int code) {
        return switch (code & 0x18) {
            case BPF_W -> 4;
            case BPF_H -> 2;
            case BPF_B -> 1;
            default -> throw new IllegalArgumentException("bad size in 0x" + Integer.toHexString(code));
        };
    }

    private static int load(byte[] p, int offset, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v = v << 8 | p[offset + i] & 0xff;
        }
        return v;
    }
}
