package io.leasehold.option;

import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * One enterprise's block of a vendor-identifying vendor class (DHCPv4 option 124, RFC 3925 §3):
 * an enterprise number and opaque class items.
 *
 * <p>Text form of a list: {@code enterprise:item,item;enterprise:item}, items as in
 * {@link UserClass}.
 */
public record VendorClass(long enterpriseNumber, List<Octets> items) {

    public VendorClass {
        OptionCodecs.checkRange(enterpriseNumber, 0, 0xffffffffL, "enterprise number");
        items = List.copyOf(items);
    }

    /** Option 124: blocks of enterprise (4), data length (1), then length-prefixed items. */
    public static final OptionCodec<List<VendorClass>> LIST_CODEC = OptionCodecs.codec("vendor-classes",
            VendorClass::readList,
            VendorClass::writeList,
            VendorClass::parseList,
            VendorClass::formatList);

    private static List<VendorClass> readList(ByteBuf buf) {
        List<VendorClass> out = new ArrayList<>();
        while (buf.isReadable()) {
            VendorBlocks.Block block = VendorBlocks.read(buf, "vendor class");
            List<Octets> items = new ArrayList<>();
            ByteBuf data = block.data();
            while (data.isReadable()) {
                int len = data.readUnsignedByte();
                if (len > data.readableBytes()) {
                    throw OptionCodecs.malformed("vendor class " + block.enterprise() + ": item of " + len
                            + " bytes runs past its block");
                }
                items.add(Octets.read(data, len));
            }
            out.add(new VendorClass(block.enterprise(), items));
        }
        if (out.isEmpty()) {
            throw OptionCodecs.malformed("vendor classes: empty");
        }
        return List.copyOf(out);
    }

    private static void writeList(List<VendorClass> list, ByteBuf out) {
        for (VendorClass v : list) {
            int lengthAt = VendorBlocks.begin(v.enterpriseNumber, out);
            for (Octets item : v.items) {
                if (item.length() > 255) {
                    throw new IllegalArgumentException("vendor class item: " + item.length() + " bytes (expected: at most 255)");
                }
                out.writeByte(item.length());
                item.writeTo(out);
            }
            VendorBlocks.end(lengthAt, out);
        }
    }

    private static List<VendorClass> parseList(String text) {
        List<VendorClass> out = new ArrayList<>();
        for (String block : text.split(";")) {
            int colon = block.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("vendor class: '" + block + "' (expected: enterprise:item,item)");
            }
            long enterprise = OptionCodecs.parseLong(block.substring(0, colon), "enterprise number");
            List<Octets> items = new ArrayList<>();
            for (String item : OptionCodecs.splitList(block.substring(colon + 1))) {
                items.add(UserClass.parseItem(item));
            }
            out.add(new VendorClass(enterprise, items));
        }
        return List.copyOf(out);
    }

    private static String formatList(List<VendorClass> list) {
        StringBuilder sb = new StringBuilder();
        for (VendorClass v : list) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(v.enterpriseNumber).append(':');
            for (int i = 0; i < v.items.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(UserClass.formatItem(v.items.get(i)));
            }
        }
        return sb.toString();
    }
}
