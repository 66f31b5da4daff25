package io.leasehold.config;

import io.leasehold.dnsmasq.SnapshotDiff;
import io.leasehold.model.NetworkSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration reload: per-network snapshot diffs, networks added and removed, interfaces attached and detached. */
class ConfigDiffTest {

    static final String NET = ConfigLoaderTest.NET;

    @Test
    void anUnchangedFileChangesNothing() throws IOException {
        LeaseholdConfig c = ConfigLoaderTest.example();
        NetworkSnapshot s = c.specs().get(NET).build();
        ConfigDiff d = ConfigDiff.between(c, c, Map.of(NET, s));
        assertFalse(d.changed().get(NET).changed());
        assertTrue(d.added().isEmpty() && d.removed().isEmpty() && d.attach().isEmpty() && d.detach().isEmpty());
        assertEquals(List.of(), d.restartSettings());
    }

    @Test
    void onePortsOptionChangeTouchesThatPortOnly() throws IOException {
        String yaml = ConfigLoaderTest.resource("/config/example.yaml");
        LeaseholdConfig before = ConfigLoader.parse("a.yaml", yaml);
        LeaseholdConfig after = ConfigLoader.parse("b.yaml", yaml
                .replace("optValue: 10.20.0.123", "optValue: 10.20.0.124")
                .replace("ipAddress: 10.20.0.31}", "ipAddress: 10.20.0.32}")
                .replace("fsync: batch", "fsync: always")
                .replace("- interface: tapd0d0d0d0-00", "- interface: tapd0d0d0d0-01")
                + "  - id: second\n    subnets: [{id: s, cidr: 192.168.9.0/24}]\n");
        NetworkSnapshot now = before.specs().get(NET).build();
        ConfigDiff d = ConfigDiff.between(before, after, Map.of(NET, now, "gone", NetworkSnapshot.empty("gone")));
        SnapshotDiff.Result r = d.changed().get(NET);
        assertEquals(1, r.reservationsAdded(), r.toString());
        assertEquals(1, r.reservationsRemoved(), r.toString());
        assertEquals(1, r.optionsAdded(), r.toString());
        assertEquals(1, r.optionsRemoved(), r.toString());
        assertEquals(after.specs().get(NET).build().options().all(), r.snapshot().options().all());
        assertEquals(Set.of("second"), d.added().keySet());
        assertEquals(Set.of("gone"), d.removed());
        assertEquals("tapd0d0d0d0-01", d.attach().get(0).iface());
        assertEquals("tapd0d0d0d0-00", d.detach().get(0).iface());
        assertEquals(List.of("fsync"), d.restartSettings());
    }
}
