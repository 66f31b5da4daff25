package io.leasehold.cli;

import io.leasehold.control.ControlProtocol;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --socket PATH}, shared by every command that talks to the daemon. */
final class SocketOption {

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The daemon's control socket (default: $" + ControlProtocol.SOCKET_ENV + ", else "
                    + ControlProtocol.DEFAULT_SOCKET + ").")
    Path socket;

    /** For tests and embedding: what {@code LEASEHOLD_SOCKET} says, or null. */
    static volatile String environment = System.getenv(ControlProtocol.SOCKET_ENV);

    ControlClient client() {
        if (socket != null) {
            return new ControlClient(socket);
        }
        String env = environment;
        return new ControlClient(Path.of(env != null && !env.isEmpty() ? env : ControlProtocol.DEFAULT_SOCKET));
    }
}
