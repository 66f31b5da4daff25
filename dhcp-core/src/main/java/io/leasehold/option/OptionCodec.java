package io.leasehold.option;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes one kind of option value, on the wire and as text.
 *
 * <p>A codec sees exactly its own bytes: {@link #decode} gets a buffer whose readable bytes are the
 * option's value and nothing else, and must read all of them (the caller treats leftovers as an
 * error). {@link #encode} writes only the value, never the code or length.
 *
 * <p>The text form is the one dnsmasq opts files and Neutron's {@code extra_dhcp_opts} use
 * (comma-separated lists, {@code a.b.c.d/n} routes, bracketed IPv6). {@code parse(format(v))}
 * equals {@code v} for every value the codec can decode.
 *
 * @param <T> the value type; immutable, with value equality
 */
public interface OptionCodec<T> {

    /**
     * Reads a value from the readable bytes of {@code value}.
     *
     * @throws io.leasehold.wire.MalformedPacketException when the bytes are not a valid value
     */
    T decode(ByteBuf value);

    /** Writes {@code value} to {@code out}. */
    void encode(T value, ByteBuf out);

    /**
     * Reads a value from its text form.
     *
     * @throws IllegalArgumentException with a message naming the offending text
     */
    T parse(String text);

    /** The text form of {@code value}, which {@link #parse} reads back to an equal value. */
    String format(T value);

    /** A short name of the value type, such as {@code ipv4-list}, for tables and error messages. */
    String type();
}
