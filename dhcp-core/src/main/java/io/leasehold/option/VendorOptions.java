package io.leasehold.option;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * One enterprise's block of vendor-identifying vendor options (DHCPv4 option 125, RFC 3925 §4):
 * an enterprise number and its sub-options.
 *
 * <p>Text form of a list: {@code enterprise:code=hex,code=hex;enterprise:code=hex}.
 */
public record VendorOptions(long enterpriseNumber, List<SubOption> options) {

    public VendorOptions {
        OptionCodecs.checkRange(enterpriseNumber, 0, 0xffffffffL, "enterprise number");
        options = List.copyOf(options);
    }

    /** Option 125. */
    public static final OptionCodec<List<VendorOptions>> LIST_CODEC = OptionCodecs.codec("vendor-options",
            VendorOptions::readList,
            VendorOptions::writeList,
            VendorOptions::parseList,
            VendorOptions::formatList);

    private static List<VendorOptions> readList(ByteBuf buf) {
        List<VendorOptions> out = new ArrayList<>();
        while (buf.isReadable()) {
            VendorBlocks.Block block = VendorBlocks.read(buf, "vendor options");
            out.add(new VendorOptions(block.enterprise(), SubOption.readList(block.data(), 1)));
        }
        if (out.isEmpty()) {
            throw OptionCodecs.malformed("vendor options: empty");
        }
        return List.copyOf(out);
    }

    private static void writeList(List<VendorOptions> list, ByteBuf out) {
        for (VendorOptions v : list) {
            int lengthAt = VendorBlocks.begin(v.enterpriseNumber, out);
            SubOption.writeList(v.options, 1, out);
            VendorBlocks.end(lengthAt, out);
        }
    }

    private static List<VendorOptions> parseList(String text) {
        List<VendorOptions> out = new ArrayList<>();
        for (String block : text.split(";")) {
            int colon = block.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("vendor options: '" + block + "' (expected: enterprise:code=hex,...)");
            }
            long enterprise = OptionCodecs.parseLong(block.substring(0, colon), "enterprise number");
            out.add(new VendorOptions(enterprise, SubOption.parseList(block.substring(colon + 1), 255)));
        }
        return List.copyOf(out);
    }

    private static String formatList(List<VendorOptions> list) {
        StringBuilder sb = new StringBuilder();
        for (VendorOptions v : list) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(v.enterpriseNumber).append(':').append(SubOption.formatList(v.options));
        }
        return sb.toString();
    }
}
