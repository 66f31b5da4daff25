package io.leasehold.option;

import io.leasehold.wire.MalformedPacketException;
import io.leasehold.wire.MalformedPacketException.Reason;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.List;
import java.util.Objects;

/**
 * A typed option definition: its code, canonical name, the names dnsmasq (and so Neutron) uses
 * for it, and the codec that reads and writes its value.
 *
 * <p>Definitions are constants of {@link io.leasehold.v4.Dhcp4Options} and
 * {@link io.leasehold.v6.Dhcp6Options}; a code nobody defined gets an {@link #unknown} definition
 * whose value is its raw bytes, so unknown options round-trip untouched.
 *
 * @param <T> the value type
 */
public final class OptionDef<T> {

    private final OptionSpace space;
    private final int code;
    private final String name;
    private final List<String> aliases;
    private final OptionCodec<T> codec;
    private final String reference;

    private OptionDef(OptionSpace space, int code, String name, List<String> aliases,
                      OptionCodec<T> codec, String reference) {
        this.space = Objects.requireNonNull(space, "space");
        this.code = space.checkCode(code);
        this.name = Objects.requireNonNull(name, "name");
        this.aliases = List.copyOf(aliases);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.reference = Objects.requireNonNull(reference, "reference");
    }

    /**
     * A definition.
     *
     * @param name      the canonical name (ISC/Kea spelling, lowercase with hyphens)
     * @param reference the defining document, such as {@code RFC 2132 §3.5}
     * @param aliases   other accepted names, dnsmasq's first
     */
    public static <T> OptionDef<T> of(OptionSpace space, int code, String name, OptionCodec<T> codec,
                                      String reference, String... aliases) {
        return new OptionDef<>(space, code, name, List.of(aliases), codec, reference);
    }

    /** The definition of a code nobody defined: raw bytes, named {@code option-<code>}. */
    public static OptionDef<Octets> unknown(OptionSpace space, int code) {
        return new OptionDef<>(space, code, "option-" + code, List.of(), OptionCodecs.OCTETS, "unknown");
    }

    public OptionSpace space() {
        return space;
    }

    public int code() {
        return code;
    }

    /** The canonical name. */
    public String name() {
        return name;
    }

    /** Other names this option is known by, dnsmasq's first. */
    public List<String> aliases() {
        return aliases;
    }

    /** The name dnsmasq knows this option by, or the canonical name when dnsmasq has none. */
    public String dnsmasqName() {
        return aliases.isEmpty() ? name : aliases.get(0);
    }

    public OptionCodec<T> codec() {
        return codec;
    }

    /** The document that defines the option. */
    public String reference() {
        return reference;
    }

    /** True for a definition made by {@link #unknown}. */
    public boolean isUnknown() {
        return "unknown".equals(reference);
    }

    /**
     * Decodes the readable bytes of {@code value}, which must be exactly this option's bytes. The
     * buffer's indexes do not move.
     *
     * @throws MalformedPacketException ({@link Reason#BAD_OPTION_VALUE}) naming this option when the
     *         bytes are not a valid value or are not all used
     */
    public T decode(ByteBuf value) {
        // A fenced view: the codec cannot read past the option, and what it leaves is an error.
        ByteBuf fenced = value.slice();
        T result;
        try {
            result = codec.decode(fenced);
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedPacketException(Reason.BAD_OPTION_VALUE,
                    label() + ": value ends early (" + value.readableBytes() + " bytes)");
        } catch (MalformedPacketException e) {
            throw new MalformedPacketException(e.reason(), label() + ": " + e.getMessage());
        }
        if (fenced.isReadable()) {
            throw new MalformedPacketException(Reason.BAD_OPTION_VALUE,
                    label() + ": " + fenced.readableBytes() + " bytes left over after the value ("
                            + value.readableBytes() + " bytes)");
        }
        return result;
    }

    /** Decodes {@code bytes}, which must be exactly this option's value. */
    public T decode(byte[] bytes) {
        return decode(Unpooled.wrappedBuffer(bytes));
    }

    /** Writes the value (no code, no length) to {@code out}. */
    public void encode(T value, ByteBuf out) {
        codec.encode(Objects.requireNonNull(value, "value"), out);
    }

    /** The encoded value as bytes. */
    public byte[] encode(T value) {
        ByteBuf buf = Unpooled.buffer();
        encode(value, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    /**
     * Reads a value from its text form.
     *
     * @throws IllegalArgumentException whose message names this option and the offending text
     */
    public T parse(String text) {
        try {
            return codec.parse(Objects.requireNonNull(text, "text"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label() + ": " + e.getMessage(), e);
        }
    }

    /** The text form of {@code value}. */
    public String format(T value) {
        return codec.format(value);
    }

    /**
     * The text form of an encoded value, for people: the decoded value's text, or the raw bytes in
     * hex, marked as such, when they do not decode.
     */
    public String formatWire(ByteBuf value) {
        try {
            return format(decode(value));
        } catch (MalformedPacketException e) {
            return "malformed:" + Octets.copyOf(value).toHex();
        }
    }

    /** {@code name(code)}, as error messages name an option. */
    public String label() {
        return name + "(" + code + ")";
    }

    @Override
    public String toString() {
        return (space == OptionSpace.DHCP4 ? "option " : "option6 ") + label() + " " + codec.type();
    }
}
