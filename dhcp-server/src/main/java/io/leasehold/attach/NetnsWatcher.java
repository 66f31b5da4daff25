package io.leasehold.attach;

import io.leasehold.netns.NetNamespace;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Consumer;

/**
 * Watches {@code /run/netns}, where {@code ip netns} puts a file per named namespace, and reports
 * namespaces that appear and disappear. The daemon attaches a configured namespace when its file
 * appears and detaches (closing every fd, so the kernel can free it) when the file goes.
 *
 * <p>One platform thread, started in the daemon's own namespace, blocked in inotify; it calls the
 * listeners on itself, and they hand over to the event loops.
 */
public final class NetnsWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NetnsWatcher.class.getName());

    private final Path directory;
    private final Consumer<String> appeared;
    private final Consumer<String> vanished;
    private final WatchService watcher;
    private final Thread thread;

    /** Starts watching {@code directory} (creating it when missing, as {@code ip netns} would). */
    public NetnsWatcher(Path directory, Consumer<String> appeared, Consumer<String> vanished) throws IOException {
        this.directory = directory;
        this.appeared = appeared;
        this.vanished = vanished;
        Files.createDirectories(directory);
        this.watcher = FileSystems.getDefault().newWatchService();
        directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "leasehold-netns-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches the standard directory, {@code /run/netns}. */
    public static NetnsWatcher start(Consumer<String> appeared, Consumer<String> vanished) throws IOException {
        return new NetnsWatcher(NetNamespace.RUN_NETNS, appeared, vanished);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        LOG.log(System.Logger.Level.WARNING, "{0}: events lost; namespaces are rescanned by their next event",
                                directory);
                        continue;
                    }
                    String name = event.context().toString();
                    try {
                        if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                            appeared.accept(name);
                        } else {
                            vanished.accept(name);
                        }
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "namespace " + name + ": " + e.getMessage(), e);
                    }
                }
                if (!key.reset()) {
                    LOG.log(System.Logger.Level.WARNING, "{0} is gone; namespaces are no longer watched", directory);
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the watch service: " + e.getMessage());
        }
        thread.interrupt();
    }
}
