package io.leasehold.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One control connection: checks the peer, then answers its request lines one at a time. Not
 * read while an answer is pending, so a client that floods requests or never reads its answers
 * holds one answer's memory at most. Every method runs on the control loop.
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ControlHandler.class.getName());

    /** Lines already framed while one is being answered; more means a client not waiting for answers. */
    private static final int MAX_QUEUED = 16;

    private final ControlServer.Options options;
    private final AtomicInteger connections;
    private final ControlOperations ops;
    private final PeerPolicy policy;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private boolean busy;
    private boolean counted;
    private ScheduledFuture<?> timeout;

    ControlHandler(ControlServer.Options options, AtomicInteger connections, ControlOperations ops, PeerPolicy policy) {
        this.options = options;
        this.connections = connections;
        this.ops = ops;
        this.policy = policy;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        if (connections.incrementAndGet() > options.maxConnections()) {
            refuse(ctx, ControlProtocol.ErrorCode.UNAVAILABLE, "too many control connections (at most "
                    + options.maxConnections() + ")");
            return;
        }
        PeerCredentials peer;
        try {
            peer = ((EpollDomainSocketChannel) ctx.channel()).peerCredentials();
        } catch (IOException e) {
            refuse(ctx, ControlProtocol.ErrorCode.PERMISSION_DENIED, "permission denied: peer credentials unknown");
            return;
        }
        int gid = peer.gids().length > 0 ? peer.gids()[0] : -1;
        if (!policy.allows(peer.pid(), peer.uid(), gid)) {
            LOG.log(System.Logger.Level.WARNING, "control socket: refused pid {0} uid {1} gid {2}",
                    peer.pid(), peer.uid(), gid);
            refuse(ctx, ControlProtocol.ErrorCode.PERMISSION_DENIED, "permission denied: uid " + peer.uid()
                    + " may not use the control socket (run as root" + (options.group() != null
                    ? " or as a member of group " + options.group() : "") + ")");
            return;
        }
        armTimeout(ctx, options.requestTimeout(), "no complete request");
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            connections.decrementAndGet();
        }
        cancelTimeout();
        queued.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        byte[] line;
        try {
            line = new byte[frame.readableBytes()];
            frame.readBytes(line);
        } finally {
            ReferenceCountUtil.release(frame);
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        if (busy) {
            if (queued.size() >= MAX_QUEUED) {
                ctx.close();
                return;
            }
            queued.add(line);
            return;
        }
        handle(ctx, line);
    }

    private void handle(ChannelHandlerContext ctx, byte[] line) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        cancelTimeout();
        CompletableFuture<ControlOperations.Body> answer;
        try {
            JsonNode request = ControlProtocol.requestMapper().readTree(line);
            answer = ops.dispatch(request);
        } catch (IOException e) {
            answer = CompletableFuture.failedFuture(ControlException.badRequest("malformed request: "
                    + firstLine(e.getMessage())));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((body, failure) -> {
            if (ctx.executor().inEventLoop()) {
                respond(ctx, body, failure);
            } else {
                ctx.executor().execute(() -> respond(ctx, body, failure));
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, ControlOperations.Body body, Throwable failure) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ByteBuf out;
        try {
            out = encode(ctx, body, failure);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "control socket: answer not written", e);
            out = encode(ctx, null, new ControlException(ControlProtocol.ErrorCode.INTERNAL, "internal error: " + e));
        }
        armTimeout(ctx, options.writeTimeout(), "answer not read");
        ctx.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            cancelTimeout();
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            busy = false;
            byte[] next = queued.poll();
            if (next != null) {
                handle(ctx, next);
            } else {
                armTimeout(ctx, options.requestTimeout(), "no complete request");
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private static ByteBuf encode(ChannelHandlerContext ctx, ControlOperations.Body body, Throwable failure) {
        ByteBuf buf = ctx.alloc().buffer();
        boolean done = false;
        try (JsonGenerator g = ControlProtocol.RESPONSES.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            g.writeStartObject();
            g.writeNumberField("v", ControlProtocol.VERSION);
            if (failure == null) {
                g.writeBooleanField("ok", true);
                g.writeFieldName("result");
                body.write(g);
            } else {
                ControlException e = asControl(failure);
                g.writeBooleanField("ok", false);
                g.writeObjectFieldStart("error");
                g.writeStringField("code", e.code().name());
                g.writeStringField("message", e.getMessage());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.flush();
            buf.writeByte('\n');
            done = true;
            return buf;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (!done) {
                buf.release();
            }
        }
    }

    static ControlException asControl(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ControlException) {
            return (ControlException) t;
        }
        LOG.log(System.Logger.Level.WARNING, "control socket: request failed", t);
        return new ControlException(ControlProtocol.ErrorCode.INTERNAL, "internal error: "
                + (t.getMessage() != null ? t.getMessage() : t.toString()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            refuse(ctx, ControlProtocol.ErrorCode.TOO_LARGE, "request longer than "
                    + ControlProtocol.MAX_REQUEST_BYTES + " bytes");
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "control connection closed: {0}", cause.toString());
        ctx.close();
    }

    /** Writes one error line and closes. */
    private void refuse(ChannelHandlerContext ctx, ControlProtocol.ErrorCode code, String message) {
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(encode(ctx, null, new ControlException(code, message)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void armTimeout(ChannelHandlerContext ctx, java.time.Duration after, String why) {
        cancelTimeout();
        timeout = ctx.executor().schedule(() -> {
            LOG.log(System.Logger.Level.DEBUG, "control connection closed: {0} in {1}", why, after);
            ctx.close();
        }, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
