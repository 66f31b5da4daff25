/**
 * dnsmasq-compatible inputs: the command line Neutron's DHCP agent starts dnsmasq with, and the
 * files it writes for it (neutron-compat.md §1, §2), read into the network model, and reloads that
 * touch only what changed.
 *
 * <h2>For the daemon</h2>
 * <pre>{@code
 * DnsmasqArgs args = DnsmasqArgs.parseCommandLine(argv);          // argv[0] = "dnsmasq"
 * if (!args.isValid()) { print args.errors(); exit 1; }           // dnsmasq exits on these too
 * args.warnings().forEach(log::warn);                             // accepted, ignored by Leasehold
 * DnsmasqNetwork.Loaded loaded = DnsmasqNetwork.load(args);       // reads host and opts by path
 * loaded.problems().forEach(log::error);                          // FILE:LINE: what; lines skipped
 * NetworkSnapshot snapshot = loaded.spec().build();
 * NetworkSpec served = loaded.spec();
 *
 * // SIGHUP: re-read by path (Neutron renames files into place), apply only the differences.
 * DnsmasqNetwork.Reloaded r = DnsmasqNetwork.reload(snapshot, served, args);
 * snapshot = r.snapshot();  served = r.loaded().spec();           // leases are not touched
 * }</pre>
 *
 * <h2>Decisions where the sources are silent</h2>
 * <ul>
 *   <li>IPv6 ranges are served as stateful: dnsmasq cannot tell a stateless subnet from a stateful
 *       one (both get a {@code static} range); a stateless subnet's host lines carry no address,
 *       so its clients get no address either way ({@link io.leasehold.dnsmasq.DnsmasqNetwork}).</li>
 *   <li>Reservation ids are the host line's text, so an unchanged line keeps its id across reloads.
 *       A verbatim repeat of a line counts at its last position (dnsmasq finds later lines first).</li>
 *   <li>DHCPv4 option values over 255 octets are refused as dnsmasq refuses them ({@code dhcp-option
 *       too long}), not split per RFC 3396, so a file that works here works with dnsmasq.</li>
 *   <li>Forms dnsmasq accepts but Leasehold does not serve are refused by name, not misread:
 *       wildcard MACs, non-Ethernet hardware types, {@code ignore}, negated tag filters on host
 *       lines, {@code [::n]} wildcard v6 addresses, tag-filtered or non-static v6 ranges,
 *       {@code vendor:}/{@code encap:} options, option 120.</li>
 *   <li>{@code id:*} is accepted and the line matched by MAC (what dnsmasq does for it).</li>
 * </ul>
 */
package io.leasehold.dnsmasq;
