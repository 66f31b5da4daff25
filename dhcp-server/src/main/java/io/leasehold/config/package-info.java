/**
 * Leasehold's native configuration file (YAML or JSON): data directory, fsync policy, control
 * socket, which interface of which namespace serves which network, and the networks in Neutron's
 * shape. Ports are turned into host and option lines exactly as Neutron's Dnsmasq driver writes
 * them and parsed by {@link io.leasehold.dnsmasq}, so both front ends serve a port the same way.
 *
 * <h2>For the daemon</h2>
 * <pre>{@code
 * LeaseholdConfig config = ConfigLoader.load(path);            // ConfigException: every problem, with paths
 * Map<String, NetworkSnapshot> served = config.snapshots();    // by network id
 * config.attachments();                                        // (namespace, interface, network) to open
 *
 * LeaseholdConfig next = ConfigLoader.load(path);              // on reload
 * ConfigDiff d = ConfigDiff.between(config, next, served);
 * d.detach() / d.attach();  d.changed() (SnapshotDiff per network);  d.added();  d.removed();
 * d.restartSettings();                                         // dataDir, fsync, controlSocket
 * }</pre>
 */
package io.leasehold.config;
