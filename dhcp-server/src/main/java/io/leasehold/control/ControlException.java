package io.leasehold.control;

import java.util.Objects;

/**
 * A request the control socket refuses, with the stable {@link ControlProtocol.ErrorCode} the
 * client maps to its exit code and a one-line message meant for the operator.
 */
public final class ControlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ControlProtocol.ErrorCode code;

    public ControlException(ControlProtocol.ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ControlProtocol.ErrorCode code() {
        return code;
    }

    static ControlException badRequest(String message) {
        return new ControlException(ControlProtocol.ErrorCode.BAD_REQUEST, message);
    }

    static ControlException unknownNetwork(String id) {
        return new ControlException(ControlProtocol.ErrorCode.UNKNOWN_NETWORK, "unknown network: " + id);
    }

    static ControlException notFound(String message) {
        return new ControlException(ControlProtocol.ErrorCode.NOT_FOUND, message);
    }
}
