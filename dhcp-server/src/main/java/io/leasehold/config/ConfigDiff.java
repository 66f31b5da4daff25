package io.leasehold.config;

import io.leasehold.dnsmasq.NetworkSpec;
import io.leasehold.dnsmasq.SnapshotDiff;
import io.leasehold.model.NetworkSnapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changes when the configuration file is reloaded: per network, the snapshot differences
 * ({@link SnapshotDiff}: only changed ports and lines are touched, leases never), the networks to
 * start and stop serving, and the interfaces to attach and detach.
 *
 * @param changed          networks present before and after, with their diff (changed or not)
 * @param added            networks new in this file, as fresh snapshots
 * @param removed          ids of networks no longer configured
 * @param attach           interfaces to start serving
 * @param detach           interfaces to stop serving (close every fd: a held fd keeps a deleted
 *                         namespace alive, DESIGN.md "Threads")
 * @param restartSettings  global settings that only take effect on restart ({@code dataDir},
 *                         {@code fsync}, {@code controlSocket}, {@code controlGroup}) and changed
 */
public record ConfigDiff(Map<String, SnapshotDiff.Result> changed, Map<String, NetworkSnapshot> added,
                         Set<String> removed, List<Attachment> attach, List<Attachment> detach,
                         List<String> restartSettings) {

    /**
     * The differences between {@code before} and {@code after}, applied to the snapshots served now.
     *
     * @param current the snapshot served now for each network of {@code before}
     */
    public static ConfigDiff between(LeaseholdConfig before, LeaseholdConfig after, Map<String, NetworkSnapshot> current) {
        Map<String, SnapshotDiff.Result> changed = new LinkedHashMap<>();
        Map<String, NetworkSnapshot> added = new LinkedHashMap<>();
        for (Map.Entry<String, NetworkSpec> e : after.specs().entrySet()) {
            NetworkSnapshot now = current.get(e.getKey());
            if (now != null) {
                changed.put(e.getKey(), SnapshotDiff.apply(now, e.getValue()));
            } else {
                added.put(e.getKey(), e.getValue().build());
            }
        }
        Set<String> removed = new HashSet<>(current.keySet());
        removed.removeAll(after.specs().keySet());
        List<Attachment> attach = new ArrayList<>(after.attachments());
        attach.removeAll(before.attachments());
        List<Attachment> detach = new ArrayList<>(before.attachments());
        detach.removeAll(after.attachments());
        List<String> restart = new ArrayList<>();
        if (!Objects.equals(before.dataDir(), after.dataDir())) {
            restart.add("dataDir");
        }
        if (before.fsync() != after.fsync()) {
            restart.add("fsync");
        }
        if (!Objects.equals(before.controlSocket(), after.controlSocket())) {
            restart.add("controlSocket");
        }
        if (!Objects.equals(before.controlGroup(), after.controlGroup())) {
            restart.add("controlGroup");
        }
        return new ConfigDiff(changed, added, Set.copyOf(removed), attach, detach, restart);
    }
}
