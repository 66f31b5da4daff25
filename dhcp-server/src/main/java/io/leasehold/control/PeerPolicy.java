package io.leasehold.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who may use the control socket, decided from the peer's credentials ({@code SO_PEERCRED}) on
 * every connection. The socket file's mode already keeps others from connecting; this check is the
 * second lock, and the one that holds when the file's mode or directory were loosened by hand.
 */
@FunctionalInterface
public interface PeerPolicy {

    /**
     * Whether the peer may use the socket.
     *
     * @param pid the peer's process id when it connected
     * @param uid its effective user id
     * @param gid its effective group id
     */
    boolean allows(int pid, int uid, int gid);

    /**
     * Root, the daemon's own user, and members of group {@code gid} (or anyone when {@code gid} is
     * negative: only root and the daemon's user). Membership is the peer's primary group, or a
     * supplementary group listed in {@code /proc/<pid>/status} of a process that still has the
     * peer's uid (so a reused pid of another user grants nothing).
     */
    static PeerPolicy rootOrGroup(int gid) {
        int self = selfUid();
        return (pid, uid, peerGid) -> uid == 0 || uid == self
                || (gid >= 0 && (peerGid == gid || supplementaryGroupOf(pid, uid, gid)));
    }

    /** The daemon's effective user id (the owner of {@code /proc/self}). */
    static int selfUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    private static boolean supplementaryGroupOf(int pid, int uid, int gid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        } catch (IOException e) {
            return false;
        }
        boolean sameUid = false;
        boolean member = false;
        for (String line : lines) {
            String[] f = line.split("\\s+");
            if (f[0].equals("Uid:") && f.length > 2) {
                sameUid = f[2].equals(Integer.toString(uid));
            } else if (f[0].equals("Groups:")) {
                for (int i = 1; i < f.length; i++) {
                    member |= f[i].equals(Integer.toString(gid));
                }
            }
        }
        return sameUid && member;
    }
}
