package io.leasehold.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.Reservation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reservations changed through the control socket, kept in one file of the data directory
 * ({@value #FILE_NAME}) and applied over the configuration's own at every start and reload, so a
 * change made live survives both.
 *
 * <p>Per network it holds the reservations added or changed (by id; they win over a configuration
 * line of the same id) and the reservations removed, each with the content it had when removed: a
 * removal hides the configuration line only while that line is unchanged, so an operator who
 * re-adds the port to the configuration with other content gets it back.
 *
 * <p>The file is rewritten whole on every change (write to a temporary file, force, rename, force
 * the directory): changes are rare and small. Thread-safe; writes block, so the control server
 * makes them off its event loop.
 *
 * <pre>
 * {"version":1,"networks":{"net1":{"put":[{reservation}],"removed":[{reservation}]}}}
 * </pre>
 */
public final class ReservationOverlay {

    /** The file's name in the data directory. */
    public static final String FILE_NAME = "reservations.json";

    private record Changes(Map<String, Reservation> put, Map<String, Reservation> removed) {
        Changes() {
            this(new TreeMap<>(), new TreeMap<>());
        }
    }

    private final Path file;
    private final Map<String, Changes> networks = new TreeMap<>();

    private ReservationOverlay(Path file) {
        this.file = file;
    }

    /**
     * Opens the overlay of a data directory, reading its file when there is one.
     *
     * @throws IOException when the file cannot be read or is not an overlay (naming the file)
     */
    public static ReservationOverlay open(Path dataDir) throws IOException {
        ReservationOverlay o = new ReservationOverlay(dataDir.resolve(FILE_NAME));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(o.file);
        } catch (NoSuchFileException e) {
            return o;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(bytes);
            if (root == null || root.path("version").asInt() != 1) {
                throw new IOException(o.file + ": not a reservation overlay of version 1");
            }
            for (Map.Entry<String, JsonNode> e : root.path("networks").properties()) {
                Changes c = new Changes();
                for (JsonNode r : e.getValue().path("put")) {
                    Reservation res = ControlJson.readReservation(r);
                    c.put.put(res.id(), res);
                }
                for (JsonNode r : e.getValue().path("removed")) {
                    Reservation res = ControlJson.readReservation(r);
                    c.removed.put(res.id(), res);
                }
                o.networks.put(e.getKey(), c);
            }
        } catch (IOException | ControlException e) {
            throw new IOException(o.file + ": " + e.getMessage(), e);
        }
        return o;
    }

    public Path file() {
        return file;
    }

    /** {@code base} with this overlay's changes of its network: removals first, then puts. */
    public synchronized NetworkSnapshot apply(NetworkSnapshot base) {
        Changes c = networks.get(base.id());
        if (c == null) {
            return base;
        }
        NetworkSnapshot s = base;
        for (Reservation gone : c.removed.values()) {
            if (gone.equals(s.reservation(gone.id()))) {
                s = s.withoutReservation(gone.id());
            }
        }
        for (Reservation r : c.put.values()) {
            s = s.withReservation(r);
        }
        return s;
    }

    /** Records {@code r} as added or changed in {@code network}, durably. */
    public synchronized void put(String network, Reservation r) throws IOException {
        Changes c = networks.computeIfAbsent(network, k -> new Changes());
        Reservation oldPut = c.put.put(r.id(), r);
        Reservation oldRemoved = c.removed.remove(r.id());
        try {
            write();
        } catch (IOException e) {
            restore(c.put, r.id(), oldPut);
            restore(c.removed, r.id(), oldRemoved);
            throw e;
        }
    }

    /** Records {@code r} (as it is now) as removed from {@code network}, durably. */
    public synchronized void remove(String network, Reservation r) throws IOException {
        Changes c = networks.computeIfAbsent(network, k -> new Changes());
        Reservation oldPut = c.put.remove(r.id());
        Reservation oldRemoved = c.removed.put(r.id(), r);
        try {
            write();
        } catch (IOException e) {
            restore(c.put, r.id(), oldPut);
            restore(c.removed, r.id(), oldRemoved);
            throw e;
        }
    }

    private static void restore(Map<String, Reservation> m, String id, Reservation old) {
        if (old == null) {
            m.remove(id);
        } else {
            m.put(id, old);
        }
    }

    /** The ids put and removed per network, for tests and the {@code networks} operation. */
    public synchronized Map<String, List<String>> summary() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        networks.forEach((n, c) -> {
            List<String> l = new ArrayList<>();
            c.put.keySet().forEach(id -> l.add("+" + id));
            c.removed.keySet().forEach(id -> l.add("-" + id));
            out.put(n, l);
        });
        return out;
    }

    private void write() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = ControlProtocol.RESPONSES.createGenerator(bytes)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("version", 1);
            g.writeObjectFieldStart("networks");
            for (Map.Entry<String, Changes> e : networks.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeArrayFieldStart("put");
                for (Reservation r : e.getValue().put.values()) {
                    ControlJson.writeReservation(g, r);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("removed");
                for (Reservation r : e.getValue().removed.values()) {
                    ControlJson.writeReservation(g, r);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        bytes.write('\n');
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
