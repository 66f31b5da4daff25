package io.leasehold.dns;

import io.leasehold.dnsmasq.AddnHostsFile;
import io.leasehold.dnsmasq.DnsmasqArgs;
import io.leasehold.model.NetworkSnapshot;

import java.io.IOException;
import java.util.List;

/**
 * DNS for the networks a dnsmasq front hands over: what dnsmasq serves on port 53 of each
 * network's namespace (neutron-compat §7 item 5).
 */
public interface DnsService {

    /** Starts DNS for a network in {@code namespace} ("" for the daemon's own). */
    void serve(String networkId, String namespace, DnsmasqArgs args, List<AddnHostsFile.Result> addnHosts,
               NetworkSnapshot snapshot) throws IOException;

    /** The network's names changed (a reload). */
    void update(String networkId, List<AddnHostsFile.Result> addnHosts, NetworkSnapshot snapshot);

    /** Stops DNS for a network and closes its sockets. */
    void remove(String networkId);
}
