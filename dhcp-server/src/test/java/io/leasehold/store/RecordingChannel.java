package io.leasehold.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A file channel that records its writes and forces into a shared event list, in order with
 * whatever else the test records there, and can be made to block or fail: the disk-full and
 * slow-disk cases of the journal tests.
 */
final class RecordingChannel extends FileChannel {

    /** What the next calls do; shared by every channel a test opens. */
    static final class Control {
        final List<String> events;
        /** When set, every force waits for it (bounded). */
        volatile CountDownLatch forceGate;
        /** When > 0, forces sleep this long (a slow disk). */
        volatile long forceMillis;
        /** When >= 0, a write fails after writing at most this many more bytes (disk full). */
        volatile long failWriteAfter = -1;
        volatile boolean failForce;

        Control(List<String> events) {
            this.events = events;
        }
    }

    private final FileChannel delegate;
    private final Control control;

    RecordingChannel(FileChannel delegate, Control control) {
        this.delegate = delegate;
        this.control = control;
    }

    private void event(String e) {
        synchronized (control.events) {
            control.events.add(e);
        }
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        long budget = control.failWriteAfter;
        if (budget >= 0) {
            int n = (int) Math.min(budget, src.remaining());
            if (n > 0) {
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + n);
                delegate.write(part, position);
            }
            event("write-failed " + n);
            throw new IOException("No space left on device");
        }
        int n = delegate.write(src, position);
        event("write " + n);
        return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        CountDownLatch gate = control.forceGate;
        if (gate != null) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (control.forceMillis > 0) {
            try {
                Thread.sleep(control.forceMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (control.failForce) {
            event("force-failed");
            throw new IOException("Input/output error");
        }
        delegate.force(metaData);
        event("force");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = delegate.write(src);
        event("write " + n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = delegate.write(srcs, offset, length);
        event("write " + n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        event("truncate " + size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
