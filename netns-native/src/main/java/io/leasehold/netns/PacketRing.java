package io.leasehold.netns;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A {@code TPACKET_V3} receive ring on an {@code AF_PACKET} socket: the kernel writes frames into
 * blocks of a memory region shared with this process, and hands each block over when it is full
 * or its retire timeout expires; the socket then polls readable.
 *
 * <p>Owner-thread only: {@link #attach} after the socket is opened (before or after bind), then
 * {@link #drain(FrameHandler)} whenever epoll reports the socket readable, {@link #close()} before
 * closing the socket. A frame handed to the handler is a view into the ring, valid only during the
 * callback: copy what must outlive it.
 *
 * <p>Ownership of a block passes through {@code block_status}: the kernel sets
 * {@code TP_STATUS_USER} when the block is ours, we write {@code TP_STATUS_KERNEL} to give it back.
 * Those two accesses use acquire and release ordering (a {@link VarHandle} view of the mapped
 * memory), which is what the kernel's {@code smp_wmb}/{@code smp_rmb} pairing expects.
 *
 * @see <a href="https://docs.kernel.org/networking/packet_mmap.html">Packet MMAP</a>
 * @see <a href="https://man7.org/linux/man-pages/man7/packet.7.html">packet(7)</a>, PACKET_RX_RING
 */
public final class PacketRing implements AutoCloseable {

    /*
     * struct tpacket_req3 (linux/if_packet.h), 28 bytes, host order:
     *   0  u32 tp_block_size        a multiple of the page size
     *   4  u32 tp_block_nr
     *   8  u32 tp_frame_size        a multiple of TPACKET_ALIGNMENT (16)
     *  12  u32 tp_frame_nr          (tp_block_size / tp_frame_size) * tp_block_nr
     *  16  u32 tp_retire_blk_tov    block retire timeout, ms
     *  20  u32 tp_sizeof_priv       per-block private area, unused here
     *  24  u32 tp_feature_req_word  TP_FT_REQ_FILL_RXHASH, unused here
     */
    static final int TPACKET_REQ3_SIZE = 28;

    /*
     * struct tpacket_block_desc (linux/if_packet.h) with its union member struct tpacket_hdr_v1,
     * 48 bytes at the start of every block:
     *   0  u32 version
     *   4  u32 offset_to_priv
     *   8  u32 block_status          TP_STATUS_KERNEL (0) or TP_STATUS_USER (1), plus flags
     *  12  u32 num_pkts
     *  16  u32 offset_to_first_pkt   from the start of the block
     *  20  u32 blk_len
     *  24  u64 seq_num               __aligned_u64
     *  32  struct tpacket_bd_ts ts_first_pkt   (u32 ts_sec, u32 ts_usec/ts_nsec)
     *  40  struct tpacket_bd_ts ts_last_pkt
     */
    static final int BLOCK_DESC_SIZE = 48;
    static final int BLOCK_STATUS_OFFSET = 8;
    static final int BLOCK_NUM_PKTS_OFFSET = 12;
    static final int BLOCK_FIRST_PKT_OFFSET = 16;

    /*
     * struct tpacket3_hdr (linux/if_packet.h), 48 bytes before the frame's own data:
     *   0  u32 tp_next_offset        from this header to the next; 0 on the last frame
     *   4  u32 tp_sec
     *   8  u32 tp_nsec
     *  12  u32 tp_snaplen            bytes stored
     *  16  u32 tp_len                bytes on the wire
     *  20  u32 tp_status             TP_STATUS_* flags
     *  24  u16 tp_mac                from this header to the Ethernet header
     *  26  u16 tp_net                from this header to the network header
     *  28  struct tpacket_hdr_variant1 { u32 tp_rxhash; u32 tp_vlan_tci; u16 tp_vlan_tpid; u16 tp_padding; }
     *  40  u8 tp_padding[8]
     */
    static final int FRAME_HEADER_SIZE = 48;
    static final int FRAME_NEXT_OFFSET = 0;
    static final int FRAME_SEC = 4;
    static final int FRAME_NSEC = 8;
    static final int FRAME_SNAPLEN = 12;
    static final int FRAME_LEN = 16;
    static final int FRAME_STATUS = 20;
    static final int FRAME_MAC = 24;
    static final int FRAME_VLAN_TCI = 32;

    // tp_status bits (linux/if_packet.h).
    /** {@code TP_STATUS_KERNEL}: the block belongs to the kernel. */
    public static final int TP_STATUS_KERNEL = 0;
    /** {@code TP_STATUS_USER}: the block is ready for user space. */
    public static final int TP_STATUS_USER = 1;
    /** {@code TP_STATUS_LOSING}: frames were dropped since the last statistics read. */
    public static final int TP_STATUS_LOSING = 1 << 2;
    /**
     * {@code TP_STATUS_CSUMNOTREADY}: the transport checksum was not computed (the sender is local
     * and offloads it). A receiver MUST NOT verify the UDP checksum of such a frame.
     */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** {@code TP_STATUS_VLAN_VALID}: {@code tp_vlan_tci} holds a stripped VLAN tag. */
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** {@code TP_STATUS_BLK_TMO}: the block was retired by its timeout, not because it filled up. */
    public static final int TP_STATUS_BLK_TMO = 1 << 5;
    /** {@code TP_STATUS_CSUM_VALID}: the checksum was verified by the device. */
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;

    /** {@code TPACKET_ALIGNMENT} ({@code linux/if_packet.h}). */
    static final int TPACKET_ALIGNMENT = 16;

    // Acquire/release access to block_status; needs an aligned index in a direct buffer.
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final int fd;
    private final int blockSize;
    private final int blockCount;
    private final long mappedSize;
    private final Pointer mapping;
    private final ByteBuffer ring;
    private final Frame frame = new Frame();
    private int nextBlock;
    private boolean closed;

    /** Receives the frames of {@link #drain}; the frame is valid during the call only. */
    @FunctionalInterface
    public interface FrameHandler {
        void frame(Frame frame);
    }

    private PacketRing(int fd, int blockSize, int blockCount, Pointer mapping) {
        this.fd = fd;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.mappedSize = (long) blockSize * blockCount;
        this.mapping = mapping;
        this.ring = mapping.getByteBuffer(0, mappedSize).order(ByteOrder.nativeOrder());
    }

    /**
     * Sets {@code PACKET_VERSION} to {@code TPACKET_V3}, configures {@code PACKET_RX_RING} and maps
     * the ring. On the owner thread; the socket keeps its filter and binding.
     *
     * @param blockSize     bytes per block: a positive multiple of the page size
     * @param blockCount    number of blocks, {@code > 0}; the ring holds {@code blockSize * blockCount} bytes
     * @param frameSize     the nominal frame slot, a multiple of 16 of at least 64; V3 packs frames by
     *                      their real length, but the kernel still validates this
     * @param retireMillis  how long a partly filled block waits before it is handed over, {@code > 0}:
     *                      the latency added to a lone request
     */
    public static PacketRing attach(int fd, int blockSize, int blockCount, int frameSize, int retireMillis) {
        int page = LibC.INSTANCE.getpagesize();
        if (blockSize <= 0 || blockSize % page != 0) {
            throw new IllegalArgumentException("blockSize: " + blockSize + " (expected: a positive multiple of " + page + ")");
        }
        if (blockCount <= 0 || (long) blockSize * blockCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("blockCount: " + blockCount + " (expected: > 0, ring < 2 GiB)");
        }
        if (frameSize < 64 || frameSize % TPACKET_ALIGNMENT != 0 || frameSize > blockSize) {
            throw new IllegalArgumentException("frameSize: " + frameSize + " (expected: a multiple of 16 in 64.."
                    + blockSize + ")");
        }
        if (retireMillis <= 0) {
            throw new IllegalArgumentException("retireMillis: " + retireMillis + " (expected: > 0)");
        }
        Sockets.setInt(fd, LibC.SOL_PACKET, LibC.PACKET_VERSION, LibC.TPACKET_V3, "SOL_PACKET, PACKET_VERSION");
        byte[] req = request(blockSize, blockCount, frameSize, retireMillis);
        try {
            LibC.INSTANCE.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_RX_RING, req, req.length);
        } catch (LastErrorException e) {
            throw NativeException.of("setsockopt(fd=" + fd + ", SOL_PACKET, PACKET_RX_RING, " + blockCount + " x "
                    + blockSize + " bytes)", e);
        }
        long size = (long) blockSize * blockCount;
        Pointer mapping;
        try {
            mapping = LibC.INSTANCE.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        } catch (LastErrorException e) {
            throw NativeException.of("mmap(" + size + " bytes, PROT_READ|PROT_WRITE, MAP_SHARED, fd=" + fd + ")", e);
        }
        return new PacketRing(fd, blockSize, blockCount, mapping);
    }

    /** A ring for DHCP traffic: 16 blocks of 64 KiB (1 MiB), 2 KiB frame slots, blocks retired after 10 ms. */
    public static PacketRing attach(int fd) {
        return attach(fd, 64 * 1024, 16, 2048, 10);
    }

    /** The {@code struct tpacket_req3} bytes. */
    static byte[] request(int blockSize, int blockCount, int frameSize, int retireMillis) {
        ByteBuffer b = ByteBuffer.allocate(TPACKET_REQ3_SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0, blockSize);
        b.putInt(4, blockCount);
        b.putInt(8, frameSize);
        b.putInt(12, blockSize / frameSize * blockCount);
        b.putInt(16, retireMillis);
        return b.array();
    }

    /**
     * Hands every frame of the blocks the kernel has released to {@code handler}, returning each
     * block to the kernel after its last frame, and stops at the first block still owned by the
     * kernel or after one turn of the ring (so a flood cannot hold the event loop). Returns the
     * number of frames handed over. A block whose descriptors point outside it is returned to the
     * kernel without reading further.
     */
    public int drain(FrameHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("ring of fd " + fd + " is closed");
        }
        int frames = 0;
        for (int turn = 0; turn < blockCount; turn++) {
            int base = nextBlock * blockSize;
            int status = (int) INT.getAcquire(ring, base + BLOCK_STATUS_OFFSET);
            if ((status & TP_STATUS_USER) == 0) {
                break;
            }
            try {
                frames += walkBlock(base, handler);
            } finally {
                // Whatever the handler did, the block goes back, or the ring would stall.
                INT.setRelease(ring, base + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
                nextBlock = (nextBlock + 1) % blockCount;
            }
        }
        return frames;
    }

    private int walkBlock(int base, FrameHandler handler) {
        long count = ring.getInt(base + BLOCK_NUM_PKTS_OFFSET) & 0xffffffffL;
        long offset = ring.getInt(base + BLOCK_FIRST_PKT_OFFSET) & 0xffffffffL;
        int frames = 0;
        for (long i = 0; i < count; i++) {
            if (offset < BLOCK_DESC_SIZE || offset + FRAME_HEADER_SIZE > blockSize) {
                return frames;
            }
            int header = base + (int) offset;
            long snap = ring.getInt(header + FRAME_SNAPLEN) & 0xffffffffL;
            int mac = ring.getShort(header + FRAME_MAC) & 0xffff;
            if (offset + mac + snap > blockSize) {
                return frames;
            }
            frame.set(header, header + mac, (int) snap);
            handler.frame(frame);
            frames++;
            long next = ring.getInt(header + FRAME_NEXT_OFFSET) & 0xffffffffL;
            if (next == 0) {
                return frames;
            }
            offset += next;
        }
        return frames;
    }

    /** Unmaps the ring. Idempotent. The socket stays open: close it afterwards with {@link Sockets#close}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibC.INSTANCE.munmap(mapping, mappedSize);
        } catch (LastErrorException e) {
            throw NativeException.of("munmap(" + mappedSize + " bytes of fd " + fd + ")", e);
        }
    }

    /** A frame in the ring; one flyweight per ring, repositioned for each frame. */
    public final class Frame {

        private int header;
        private int data;
        private int snapLength;

        private Frame() {
        }

        void set(int header, int data, int snapLength) {
            this.header = header;
            this.data = data;
            this.snapLength = snapLength;
        }

        /** {@code tp_status}: {@link #TP_STATUS_CSUMNOTREADY} and the other flags. */
        public int status() {
            return ring.getInt(header + FRAME_STATUS);
        }

        /** Whether the transport checksum is not filled in ({@link #TP_STATUS_CSUMNOTREADY}). */
        public boolean checksumNotReady() {
            return (status() & TP_STATUS_CSUMNOTREADY) != 0;
        }

        /** {@code tp_len}: the frame's length on the wire. */
        public int length() {
            return ring.getInt(header + FRAME_LEN);
        }

        /** {@code tp_snaplen}: the bytes stored, starting at the Ethernet header. */
        public int snapLength() {
            return snapLength;
        }

        /** {@code tp_sec}: arrival time, seconds. */
        public long seconds() {
            return ring.getInt(header + FRAME_SEC) & 0xffffffffL;
        }

        /** {@code tp_nsec}: arrival time, nanoseconds within the second. */
        public int nanos() {
            return ring.getInt(header + FRAME_NSEC);
        }

        /** {@code tp_vlan_tci}, meaningful when {@link #TP_STATUS_VLAN_VALID} is set. */
        public int vlanTci() {
            return ring.getInt(header + FRAME_VLAN_TCI);
        }

        /** The stored bytes from the Ethernet header on, as a read-only view into the ring. */
        public ByteBuffer data() {
            return ring.slice(data, snapLength).asReadOnlyBuffer();
        }

        /** The native address of the Ethernet header, for a zero-copy wrap (Netty {@code Unpooled.wrappedBuffer(address, snapLength(), false)}). */
        public long address() {
            return Pointer.nativeValue(mapping) + data;
        }
    }
}
