package io.leasehold.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A raw {@code AF_PACKET} socket on an event loop: reads frames into a direct buffer and hands
 * each to a consumer on the loop thread, and writes whole frames. No packet byte is copied between
 * the kernel and the decoder, and nothing is allocated per frame.
 *
 * <p>Frames are handled one at a time, to the end, on the loop thread, so every handle of a loop
 * reads into the same buffer: a thousand served interfaces cost one receive buffer per loop, not a
 * thousand.
 *
 * <p>The socket's fd belongs to whoever opened it ({@link #close()} closes it); the handle only
 * reads and writes.
 */
public final class PacketSocketHandle implements EpollIoHandle {

    /** Frames handled per wakeup before the loop gets to do something else (like maxMessagesPerRead). */
    static final int MAX_FRAMES_PER_WAKEUP = 64;

    /** Large enough for a jumbo frame; a longer frame is truncated by the kernel and then refused by the decoder. */
    static final int RECEIVE_BUFFER = 16 * 1024;

    /** The receive buffer of each event-loop thread; it lives as long as the thread. */
    private static final FastThreadLocal<ByteBuf> RECEIVE = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.directBuffer(RECEIVE_BUFFER, RECEIVE_BUFFER);
        }

        @Override
        protected void onRemoval(ByteBuf buf) {
            buf.release();
        }
    };

    private final FileDescriptor fd;
    private final Consumer<ByteBuf> onFrame;
    private final Runnable onError;
    private IoRegistration registration;
    private long sendFailures;
    private long errors;

    /**
     * @param fd      the packet socket, bound and filtered
     * @param onFrame called on the loop with each frame as the readable bytes of a reused buffer;
     *                the buffer is valid only during the call
     * @param onError called on the loop when a read fails (the interface is down or gone); the
     *                handle stays registered
     */
    public PacketSocketHandle(int fd, Consumer<ByteBuf> onFrame, Runnable onError) {
        this.fd = new FileDescriptor(fd);
        this.onFrame = onFrame;
        this.onError = onError;
    }

    /** Remembers the registration so that {@link #cancel} can end it; call on the loop. */
    public void registered(IoRegistration registration) {
        this.registration = registration;
        registration.submit(EpollIoOps.EPOLLIN);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        ByteBuf receive = RECEIVE.get();
        if (ops.contains(EpollIoOps.EPOLLERR)) {
            // A packet socket reports ENETDOWN when its interface is (or was, at bind) down, and
            // keeps working once the interface comes up. Reading takes the error off the socket;
            // whether the interface is really gone is for the namespace's link events to say.
            try {
                fd.readAddress(receive.memoryAddress(), 0, receive.capacity());
            } catch (IOException e) {
                errors++;
            }
        }
        if (!ops.contains(EpollIoOps.EPOLLIN)) {
            return;
        }
        try {
            for (int i = 0; i < MAX_FRAMES_PER_WAKEUP; i++) {
                int n = fd.readAddress(receive.memoryAddress(), 0, receive.capacity());
                if (n <= 0) {
                    return;
                }
                receive.setIndex(0, n);
                onFrame.accept(receive);
            }
        } catch (IOException e) {
            errors++;
            onError.run();
        }
    }

    /** How many socket errors were read (ENETDOWN and the like). */
    public long errors() {
        return errors;
    }

    /**
     * Sends the readable bytes of {@code frame} (a direct buffer) out of the interface and releases
     * it. Returns false when the socket refused (its send buffer is full, or the interface is gone).
     */
    public boolean send(ByteBuf frame) {
        try {
            int n = fd.writeAddress(frame.memoryAddress(), frame.readerIndex(), frame.writerIndex());
            if (n != frame.readableBytes()) {
                sendFailures++;
                return false;
            }
            return true;
        } catch (IOException e) {
            sendFailures++;
            return false;
        } finally {
            frame.release();
        }
    }

    /** How many sends failed. */
    public long sendFailures() {
        return sendFailures;
    }

    /** Ends the registration; call on the loop. The fd stays open for its owner to close. */
    public void cancel() {
        if (registration != null && registration.isValid()) {
            registration.cancel();
        }
    }

    @Override
    public void close() {
        // Called by Netty when the registration ends; the fd is the owner's to close.
    }
}
