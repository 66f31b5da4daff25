package io.leasehold.netns;

import static io.leasehold.netns.Bpf.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DHCPv4 and drop-all programs run through {@link BpfInterpreter} against crafted frames. */
class BpfTest {

    private static int dhcp(Frames.Spec spec) {
        return BpfInterpreter.run(Bpf.dhcpServerV4(), Frames.build(spec));
    }

    @Test
    void acceptsUdp67WholeFrame() {
        byte[] frame = Frames.build(Frames.spec());
        assertEquals(frame.length, BpfInterpreter.run(Bpf.dhcpServerV4(), frame));
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 10, 15}) // header lengths of 24, 40 and 60 bytes: IP options
    void acceptsUdp67AfterIpOptions(int ihl) {
        Frames.Spec s = Frames.spec();
        s.ihl = ihl;
        assertTrue(dhcp(s) > 0, "IHL " + ihl);
    }

    @Test
    void optionsShiftThePortOffset() {
        // With IHL 6 the bytes where port 67 would sit for IHL 5 hold an IP option instead; the
        // filter must read the port past the options, so port 68 there is rejected.
        Frames.Spec s = Frames.spec();
        s.ihl = 6;
        s.destinationPort = 68;
        assertEquals(0, dhcp(s));
    }

    @Test
    void rejectsUdp68() {
        Frames.Spec s = Frames.spec();
        s.destinationPort = 68;
        s.sourcePort = 67;
        assertEquals(0, dhcp(s));
    }

    @Test
    void rejectsSourcePort67ToAnotherPort() {
        Frames.Spec s = Frames.spec();
        s.sourcePort = 67;
        s.destinationPort = 1067;
        assertEquals(0, dhcp(s));
    }

    @Test
    void rejectsTcp67() {
        Frames.Spec s = Frames.spec();
        s.protocol = 6;
        assertEquals(0, dhcp(s));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x2000, 0x0001, 0x00b9, 0x1fff, 0x2001, 0x3fff}) // MF; offsets; MF with offset
    void rejectsFragments(int flagsAndFragment) {
        Frames.Spec s = Frames.spec();
        s.flagsAndFragment = flagsAndFragment;
        assertEquals(0, dhcp(s));
    }

    @Test
    void acceptsDontFragment() {
        Frames.Spec s = Frames.spec();
        s.flagsAndFragment = 0x4000; // DF is not a fragment
        assertTrue(dhcp(s) > 0);
    }

    @Test
    void rejectsIpv6() {
        Frames.Spec s = Frames.spec();
        s.etherType = 0x86DD;
        assertEquals(0, dhcp(s));
    }

    @Test
    void rejectsArp() {
        byte[] arp = new byte[42];
        Arrays.fill(arp, 0, 6, (byte) -1);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertEquals(0, BpfInterpreter.run(Bpf.dhcpServerV4(), arp));
    }

    @Test
    void rejectsVlanTaggedFrames() {
        Frames.Spec s = Frames.spec();
        s.etherType = 0x8100;
        assertEquals(0, dhcp(s));
    }

    @Test
    void rejectsEveryTruncationOfAnAcceptedFrame() {
        byte[] frame = Frames.build(Frames.spec());
        // Up to the end of the UDP destination port the filter needs every byte; beyond it, the
        // frame is accepted (the decoder, not the filter, checks lengths).
        int needed = 14 + 20 + 4;
        for (int n = 0; n < needed; n++) {
            assertEquals(0, BpfInterpreter.run(Bpf.dhcpServerV4(), Arrays.copyOf(frame, n)), "length " + n);
        }
        assertEquals(needed, BpfInterpreter.run(Bpf.dhcpServerV4(), Arrays.copyOf(frame, needed)));
    }

    @Test
    void shortFrameWithLongIhlIsDropped() {
        Frames.Spec s = Frames.spec();
        s.ihl = 15;
        byte[] frame = Frames.build(s);
        assertEquals(0, BpfInterpreter.run(Bpf.dhcpServerV4(), Arrays.copyOf(frame, 14 + 60 + 3)));
    }

    @Test
    void randomFramesNeverThrowAndOnlyMatchingOnesPass() {
        long seed = 0x5eed_b9f0L;
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = new byte[random.nextInt(90)];
            random.nextBytes(frame);
            if (frame.length > 23 && random.nextBoolean()) {
                frame[12] = 0x08;
                frame[13] = 0x00;
                frame[23] = 17;
            }
            int kept = BpfInterpreter.run(Bpf.dhcpServerV4(), frame);
            if (kept > 0) {
                ByteBuffer b = ByteBuffer.wrap(frame);
                int udp = 14 + 4 * (frame[14] & 0x0f);
                assertEquals(0x0800, b.getShort(12) & 0xffff, "seed " + seed + " frame " + i);
                assertEquals(17, frame[23], "seed " + seed + " frame " + i);
                assertEquals(0, b.getShort(20) & 0x3fff, "seed " + seed + " frame " + i);
                assertEquals(67, b.getShort(udp + 2) & 0xffff, "seed " + seed + " frame " + i);
                assertEquals(frame.length, kept);
            }
        }
    }

    @Test
    void framesThisHostSendsAreDropped() {
        byte[] frame = Frames.build(Frames.spec());
        assertEquals(frame.length, BpfInterpreter.run(Bpf.dhcpServerV4(), frame, 0, frame));
        assertEquals(0, BpfInterpreter.run(Bpf.dhcpServerV4(), frame, Bpf.PACKET_OUTGOING, frame));
    }

    @Test
    void sourceAddressFilterKeepsOnlyListedSources() {
        byte[] ip = new byte[28];
        ip[0] = 0x45;
        ip[12] = 10;
        ip[13] = 77;
        ip[15] = 2;                       // source 10.77.0.2
        byte[] udp = java.util.Arrays.copyOfRange(ip, 20, 28);
        assertEquals(0, BpfInterpreter.run(Bpf.sourceAddressIn(), udp, 0, ip), "no addresses: nothing");
        assertEquals(udp.length, BpfInterpreter.run(Bpf.sourceAddressIn(0x0a4d0001, 0x0a4d0002), udp, 0, ip));
        assertEquals(udp.length, BpfInterpreter.run(Bpf.sourceAddressIn(0x0a4d0002), udp, 0, ip));
        assertEquals(0, BpfInterpreter.run(Bpf.sourceAddressIn(0x0a4d0003, 0x0a4d0004), udp, 0, ip));
        assertThrows(IllegalArgumentException.class, () -> Bpf.sourceAddressIn(new int[201]));
    }

    @Test
    void dropAllDropsEverything() {
        assertEquals(1, Bpf.dropAll().length());
        assertEquals(0, BpfInterpreter.run(Bpf.dropAll(), Frames.build(Frames.spec())));
        assertEquals(0, BpfInterpreter.run(Bpf.dropAll(), new byte[0]));
    }

    @Test
    void encodesSockFilterArrayInHostOrder() {
        Bpf.Program p = Bpf.Program.of(stmt(BPF_LD | BPF_H | BPF_ABS, 12),
                jump(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 1), stmt(BPF_RET | BPF_K, -1), stmt(BPF_RET | BPF_K, 0));
        byte[] encoded = p.encode();
        assertEquals(4 * Bpf.SOCK_FILTER_SIZE, encoded.length);
        ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.nativeOrder());
        assertEquals(0x28, b.getShort(0)); // ldh [12], as tcpdump -d prints it
        assertEquals(12, b.getInt(4));
        assertEquals(0x15, b.getShort(8)); // jeq #0x800
        assertEquals(0, b.get(10));
        assertEquals(1, b.get(11));
        assertEquals(0x800, b.getInt(12));
        assertEquals(0x06, b.getShort(16)); // ret #k
        assertEquals(-1, b.getInt(20));
    }

    @Test
    void dhcpProgramHasTheOpcodesTcpdumpWouldEmit() {
        // Opcode values as `tcpdump -dd` prints them, a check on the constants themselves: the
        // packet-type load (ld [-4092]) and its test, then what 'udp dst port 67' compiles to.
        int[] codes = Bpf.dhcpServerV4().instructions().stream().mapToInt(Instruction::code).toArray();
        assertArrayEquals(new int[] {0x20, 0x15, 0x28, 0x15, 0x30, 0x15, 0x28, 0x45, 0xb1, 0x48, 0x15, 0x06, 0x06}, codes);
    }

    @Test
    void validationNamesTheBadInstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bpf.Program.of(jump(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 5), stmt(BPF_RET | BPF_K, 0)));
        assertEquals("instruction 0: { 0x15, 0, 5, 0x00000001 } jumps to 6 (expected: < 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bpf.Program.of(stmt(BPF_LD | BPF_W | BPF_ABS, 0)));
        assertTrue(e.getMessage().contains("expected: a BPF_RET"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bpf.Program.of());
        assertEquals("instructions: 0 (expected: 1..4096)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bpf.jump(BPF_JMP, 0, 256, 0));
        assertEquals("jt: 256 (expected: 0..255)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bpf.Program.of(stmt(BPF_JMP | BPF_JA, -1), stmt(BPF_RET | BPF_K, 0)));
        assertTrue(e.getMessage().startsWith("instruction 0:"), e.getMessage());
    }
}
