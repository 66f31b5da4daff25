package io.leasehold.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The daemon's control socket: a filesystem Unix domain socket served by a Netty epoll event loop
 * of its own, speaking {@link ControlProtocol}.
 *
 * <p>Who can talk to it:
 * <ul>
 *   <li>the socket is created in a directory of mode 0700 (0750 and the control group's when a
 *       group is configured) that the daemon's user owns, and is itself mode 0600 (0660): others
 *       cannot even connect;</li>
 *   <li>every connection's peer credentials ({@code SO_PEERCRED}) are checked by a
 *       {@link PeerPolicy} (root, the daemon's user, the control group): a refused peer gets one
 *       {@code PERMISSION_DENIED} line and is disconnected.</li>
 * </ul>
 *
 * <p>What a client cannot do to the daemon: a request line is at most
 * {@link ControlProtocol#MAX_REQUEST_BYTES} and {@link ControlProtocol#MAX_NESTING} deep; a
 * connection is served one request at a time and is not read while its answer is being written,
 * so a client that never reads holds at most one answer; a connection that sends no complete
 * request in {@link Options#requestTimeout} or does not take its answer in
 * {@link Options#writeTimeout} is closed; at most {@link Options#maxConnections} are open. The
 * loop never blocks: lease tables are read on their network's loop, and file I/O (reservation
 * overlay, reload) and namespace changes run on a worker thread.
 */
public final class ControlServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /**
     * How the control socket is set up.
     *
     * @param socket         the socket's path
     * @param group          the group whose members may use it besides root, or null
     * @param peerPolicy     overrides the policy made from {@code group} (embedding, tests), or null
     * @param maxConnections connections served at once
     * @param requestTimeout how long a connection may take to send a complete request
     * @param writeTimeout   how long a client may take to read an answer
     */
    public record Options(Path socket, String group, PeerPolicy peerPolicy, int maxConnections,
                          Duration requestTimeout, Duration writeTimeout) {
        public Options {
            Objects.requireNonNull(socket, "socket");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(writeTimeout, "writeTimeout");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
            }
        }

        /** A socket at {@code path}, root and the daemon's user only, 32 connections, 10 s / 30 s timeouts. */
        public static Options of(Path socket) {
            return new Options(socket, null, null, 32, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }

        public Options withGroup(String g) {
            return new Options(socket, g, peerPolicy, maxConnections, requestTimeout, writeTimeout);
        }

        public Options withPeerPolicy(PeerPolicy p) {
            return new Options(socket, group, p, maxConnections, requestTimeout, writeTimeout);
        }

        public Options withMaxConnections(int n) {
            return new Options(socket, group, peerPolicy, n, requestTimeout, writeTimeout);
        }

        public Options withRequestTimeout(Duration d) {
            return new Options(socket, group, peerPolicy, maxConnections, d, writeTimeout);
        }

        public Options withWriteTimeout(Duration d) {
            return new Options(socket, group, peerPolicy, maxConnections, requestTimeout, d);
        }
    }

    private final Options options;
    private final MultiThreadIoEventLoopGroup loop;
    private final ExecutorService worker;
    private final Channel channel;

    private ControlServer(Options options, MultiThreadIoEventLoopGroup loop, ExecutorService worker, Channel channel) {
        this.options = options;
        this.loop = loop;
        this.worker = worker;
        this.channel = channel;
    }

    /**
     * Creates the socket (and its directory when missing) and starts serving {@code target}.
     *
     * @throws IOException when the directory is unsafe (another owner, a looser mode on a directory
     *         that holds other files), another daemon listens on the socket, or binding fails; the
     *         message names the path and what to do
     */
    public static ControlServer start(ControlTarget target, Options options) throws IOException {
        Path socket = options.socket().toAbsolutePath();
        GroupPrincipal group = options.group() == null ? null
                : socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(options.group());
        Path dir = socket.getParent();
        prepareDirectory(dir, socket, group);
        removeStaleSocket(socket);
        int gid = group == null ? -1 : (Integer) Files.getAttribute(dir, "unix:gid");
        PeerPolicy policy = options.peerPolicy() != null ? options.peerPolicy() : PeerPolicy.rootOrGroup(gid);

        MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "leasehold-control");
            t.setDaemon(true);
            return t;
        }, EpollIoHandler.newFactory());
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "leasehold-control-worker");
            t.setDaemon(true);
            return t;
        });
        ControlOperations ops = new ControlOperations(target, worker);
        AtomicInteger connections = new AtomicInteger();
        Channel ch;
        try {
            ch = new ServerBootstrap()
                    .group(loop)
                    .channel(EpollServerDomainSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                        @Override
                        protected void initChannel(EpollDomainSocketChannel c) {
                            c.pipeline().addLast(new LineBasedFrameDecoder(ControlProtocol.MAX_REQUEST_BYTES, true, true),
                                    new ControlHandler(options, connections, ops, policy));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toString())).sync().channel();
        } catch (Exception e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownNow();
            throw new IOException("control socket " + socket + ": " + e.getMessage(), e);
        }
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(group == null ? "rw-------" : "rw-rw----");
        Files.setPosixFilePermissions(socket, mode);
        if (group != null) {
            Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        }
        ControlServer server = new ControlServer(options, loop, worker, ch);
        LOG.log(System.Logger.Level.INFO, "control socket {0} (mode {1}{2})", socket,
                group == null ? "0600" : "0660", group == null ? "" : ", group " + options.group());
        return server;
    }

    Options options() {
        return options;
    }

    /** The socket's path. */
    public Path socket() {
        return options.socket().toAbsolutePath();
    }

    /** Stops accepting, closes every connection, removes the socket file. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        worker.shutdownNow();
        try {
            Files.deleteIfExists(socket());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "control socket " + socket() + " not removed: " + e.getMessage());
        }
    }

    // ---- the socket's directory and file -----------------------------------------------------------

    private static void prepareDirectory(Path dir, Path socket, GroupPrincipal group) throws IOException {
        Set<PosixFilePermission> expected = PosixFilePermissions.fromString(group == null ? "rwx------" : "rwxr-x---");
        String expectedText = group == null ? "0700" : "0750";
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(expected));
            Files.setPosixFilePermissions(dir, expected);  // the umask may have taken bits away
            if (group != null) {
                Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(group);
            }
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("control socket directory " + dir + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != PeerPolicy.selfUid()) {
            throw new IOException("control socket directory " + dir + " belongs to uid " + owner
                    + " (expected: the daemon's user; give the socket a directory of its own, such as /run/leasehold)");
        }
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        boolean groupOk = group == null || group.equals(Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).readAttributes().group());
        if (actual.equals(expected) && groupOk) {
            return;
        }
        // A directory holding only our socket (a previous run's) is ours to fix; one holding other
        // files (/tmp, /run) is not: refusing beats loosening or tightening someone else's directory.
        boolean onlyOurs;
        try (Stream<Path> entries = Files.list(dir)) {
            onlyOurs = entries.allMatch(p -> p.getFileName().equals(socket.getFileName()));
        }
        if (!onlyOurs) {
            throw new IOException("control socket directory " + dir + " has mode "
                    + PosixFilePermissions.toString(actual) + " and holds other files (expected: a directory of its own, "
                    + "mode " + expectedText + ", such as /run/leasehold)");
        }
        Files.setPosixFilePermissions(dir, expected);
        if (group != null) {
            Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(group);
        }
    }

    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException("control socket " + socket + " exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new IOException("control socket " + socket + ": another daemon is listening on it");
        } catch (ConnectException e) {
            // Nobody listens: a previous run's socket.
            Files.delete(socket);
        }
    }
}
