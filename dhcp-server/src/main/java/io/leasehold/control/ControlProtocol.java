package io.leasehold.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The control socket's wire protocol, version {@value #VERSION}: one JSON object per line each way,
 * UTF-8. The operations and their arguments are documented in {@code PROTOCOL.md} next to this
 * class; this class holds the limits and the error codes both sides rely on.
 *
 * <pre>
 * request:  {"v":1,"op":"leases","args":{"network":"net1","state":"bound"}}\n
 * response: {"v":1,"ok":true,"result":{...}}\n
 *           {"v":1,"ok":false,"error":{"code":"UNKNOWN_NETWORK","message":"unknown network: net9"}}\n
 * </pre>
 */
public final class ControlProtocol {

    /** The protocol version this build speaks; a request naming another is refused. */
    public static final int VERSION = 1;

    /** The longest request line, in bytes, newline excluded; a longer one closes the connection. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** The deepest JSON nesting a request may have (a reservation inside args is depth 3). */
    public static final int MAX_NESTING = 8;

    /** The longest JSON string in a request. */
    public static final int MAX_STRING_LENGTH = 4096;

    /** The default socket path; the CLI also honours {@code LEASEHOLD_SOCKET} and {@code --socket}. */
    public static final String DEFAULT_SOCKET = "/run/leasehold/control.sock";

    /** The environment variable naming the socket for the CLI. */
    public static final String SOCKET_ENV = "LEASEHOLD_SOCKET";

    /**
     * Why a request failed. Names are stable: scripts and the CLI's exit codes depend on them.
     */
    public enum ErrorCode {
        /** Malformed JSON, a missing or wrong argument, a malformed MAC or IP address. */
        BAD_REQUEST,
        /** The request's {@code v} is not {@value #VERSION}. */
        UNSUPPORTED_VERSION,
        /** No such operation. */
        UNKNOWN_OP,
        /** The request names a network the daemon does not serve. */
        UNKNOWN_NETWORK,
        /** The lease, reservation or attachment named does not exist. */
        NOT_FOUND,
        /** The change clashes with what exists (a reservation's address is another's). */
        CONFLICT,
        /** The peer is neither root nor in the control group. */
        PERMISSION_DENIED,
        /** The request line is longer than {@link #MAX_REQUEST_BYTES}. */
        TOO_LARGE,
        /** The daemon cannot do this now (no configuration file to reload, shutting down). */
        UNAVAILABLE,
        /** The configuration file or a change was refused on its content; the message says why. */
        INVALID_CONFIG,
        /** A bug or an I/O failure in the daemon; the message says what. */
        INTERNAL
    }

    private static final JsonFactory REQUESTS = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(24)
                    .maxDocumentLength(MAX_REQUEST_BYTES)
                    .build())
            .build();

    /**
     * Reads requests within the limits above: a deeper or longer document fails to parse. Made on
     * first use, by the daemon only: an ObjectMapper costs a short-lived client process a large
     * share of its start-up.
     */
    static ObjectMapper requestMapper() {
        return RequestMapper.INSTANCE;
    }

    private static final class RequestMapper {
        static final ObjectMapper INSTANCE = new ObjectMapper(REQUESTS);
    }

    /** Writes responses (and is used by clients to read them: responses are trusted and may be large). */
    public static final JsonFactory RESPONSES = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNestingDepth(MAX_NESTING)
                    .build())
            .build();

    private ControlProtocol() {
    }
}
