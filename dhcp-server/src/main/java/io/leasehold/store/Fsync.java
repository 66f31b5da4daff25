package io.leasehold.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing what {@link FileChannel#force} alone does not reach. */
final class Fsync {

    private Fsync() {
    }

    /**
     * Forces a directory, so that files created, renamed or deleted in it stay so after a power
     * failure: on Linux a rename is durable only once its directory is ({@code fsync(2)}: "calling
     * fsync() does not necessarily ensure that the entry in the directory containing the file has
     * also reached disk. For that an explicit fsync() on a file descriptor for the directory is also
     * needed").
     */
    static void directory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
