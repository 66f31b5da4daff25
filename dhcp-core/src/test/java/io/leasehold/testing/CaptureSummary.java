package io.leasehold.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dissection of the shared captures in {@code pcap/summary.md}, written by an independent
 * decoder, as the golden expectations for our own.
 *
 * <p>Each packet line reads {@code time src -> dst TYPE [xid 0x..] [details]}, optionally followed by
 * a {@code client:} line. Details are {@code ;}-separated facts such as {@code options 53,12,55},
 * {@code hostname 'vm-dhclient'} or {@code IA_NA IAID 0x3e000011 T1 3600 T2 5400}.
 */
public final class CaptureSummary {

    /** One packet of a capture as the summary describes it. */
    public record Entry(String file, int index, String src, String dst, String type, Long xid, List<String> facts) {

        /** The text after {@code key } of the first fact starting with {@code key}, or null. */
        public String fact(String key) {
            for (String f : facts) {
                if (f.equals(key)) {
                    return "";
                }
                if (f.startsWith(key + " ")) {
                    return f.substring(key.length() + 1);
                }
            }
            return null;
        }

        /** The comma-separated integers of fact {@code key} (e.g. {@code options}), or null. */
        public List<Integer> ints(String key) {
            String v = fact(key);
            if (v == null) {
                return null;
            }
            List<Integer> out = new ArrayList<>();
            for (String s : v.split(",")) {
                out.add(Integer.parseInt(s.trim()));
            }
            return out;
        }

        @Override
        public String toString() {
            return file + "#" + index + " " + type;
        }
    }

    private static final Pattern PACKET = Pattern.compile(
            "^\\s+(\\d+\\.\\d+) (\\S+) -> (\\S+) (\\S+)(?: xid 0x([0-9a-f]+))?(?: (.*))?$");
    private static final Pattern CLIENT = Pattern.compile("^\\s+client: (.*)$");
    private static final Pattern FILE = Pattern.compile("^### (\\S+\\.pcap)$");

    private final Map<String, List<Entry>> entries;

    private CaptureSummary(Map<String, List<Entry>> entries) {
        this.entries = entries;
    }

    /** Parses {@code pcap/summary.md} from the test resources. */
    public static CaptureSummary load() {
        try (InputStream in = Captures.class.getResourceAsStream("/pcap/summary.md")) {
            if (in == null) {
                throw new IllegalStateException("no resource pcap/summary.md");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CaptureSummary parse(BufferedReader r) throws IOException {
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        String file = null;
        String line;
        while ((line = r.readLine()) != null) {
            Matcher m = FILE.matcher(line);
            if (m.matches()) {
                file = m.group(1);
                out.put(file, new ArrayList<>());
                continue;
            }
            m = PACKET.matcher(line);
            if (m.matches() && file != null) {
                List<Entry> list = out.get(file);
                Long xid = m.group(5) == null ? null : Long.parseLong(m.group(5), 16);
                List<String> facts = new ArrayList<>();
                if (m.group(6) != null) {
                    addFacts(facts, m.group(6));
                }
                list.add(new Entry(file, list.size(), m.group(2), m.group(3), m.group(4), xid, facts));
                continue;
            }
            m = CLIENT.matcher(line);
            if (m.matches() && file != null) {
                List<Entry> list = out.get(file);
                Entry last = list.get(list.size() - 1);
                List<String> facts = new ArrayList<>(last.facts());
                addFacts(facts, m.group(1));
                list.set(list.size() - 1, new Entry(last.file(), last.index(), last.src(), last.dst(), last.type(),
                        last.xid(), facts));
            }
        }
        return new CaptureSummary(out);
    }

    private static void addFacts(List<String> facts, String text) {
        for (String part : text.split("; ")) {
            String p = part.trim();
            // A server line packs "yiaddr A options B" into one segment.
            String[] tokens = p.split(" ");
            if (tokens.length == 4 && tokens[0].equals("yiaddr")) {
                facts.add(tokens[0] + " " + tokens[1]);
                facts.add(tokens[2] + " " + tokens[3]);
            } else if (!p.isEmpty()) {
                facts.add(p);
            }
        }
    }

    /** The capture file names, in summary order. */
    public List<String> files() {
        return List.copyOf(entries.keySet());
    }

    /** The entries of {@code file}, one per captured packet. */
    public List<Entry> entries(String file) {
        List<Entry> e = entries.get(file);
        if (e == null) {
            throw new IllegalArgumentException("summary has no section for " + file);
        }
        return e;
    }
}
