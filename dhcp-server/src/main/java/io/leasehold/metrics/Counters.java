package io.leasehold.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one network: packets received and replied per protocol, and every packet that
 * got no reply counted under a named reason (an engine outcome such as
 * {@code IGNORED_NO_ADDRESS}, a malformation such as {@code BAD_MAGIC_COOKIE}, or a transport
 * reason such as {@code JOURNAL_FULL}).
 *
 * <p>Written by the network's event loop, read by the control socket and tests from other threads:
 * adders make both cheap and never block the loop.
 */
public final class Counters {

    /** The protocols a network serves. */
    public enum Protocol {
        DHCP4, DHCP6
    }

    private final LongAdder received4 = new LongAdder();
    private final LongAdder received6 = new LongAdder();
    private final LongAdder replied4 = new LongAdder();
    private final LongAdder replied6 = new LongAdder();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();

    public void received(Protocol p) {
        (p == Protocol.DHCP4 ? received4 : received6).increment();
    }

    public void replied(Protocol p) {
        (p == Protocol.DHCP4 ? replied4 : replied6).increment();
    }

    /** Counts a decision's outcome (OFFER, ACK, RELEASED, IGNORED_...), prefixed by protocol. */
    public void outcome(Protocol p, String outcome) {
        outcomes.computeIfAbsent(prefix(p) + "outcome." + outcome, k -> new LongAdder()).increment();
    }

    /** Counts a packet dropped before or after the engine, under {@code reason}. */
    public void dropped(Protocol p, String reason) {
        drops.computeIfAbsent(prefix(p) + "dropped." + reason, k -> new LongAdder()).increment();
    }

    private static String prefix(Protocol p) {
        return p == Protocol.DHCP4 ? "dhcp4." : "dhcp6.";
    }

    /** A consistent-enough copy of every counter, by name, sorted: for the control socket and tests. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        out.put("dhcp4.received", received4.sum());
        out.put("dhcp6.received", received6.sum());
        out.put("dhcp4.replied", replied4.sum());
        out.put("dhcp6.replied", replied6.sum());
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        drops.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The value of one counter from {@link #snapshot()}'s names, 0 when it never counted. */
    public long get(String name) {
        return snapshot().getOrDefault(name, 0L);
    }
}
