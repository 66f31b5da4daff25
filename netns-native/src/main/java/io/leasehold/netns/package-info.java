/**
 * Everything native the daemon needs to serve interfaces inside Linux network namespaces.
 *
 * <h2>Where each call may run</h2>
 * <ul>
 *   <li><b>Inside a namespace</b>, only in a {@link io.leasehold.netns.NamespaceOpener} task on its
 *       fresh platform thread: {@code Sockets.openPacket/openUdp4/openUdp6},
 *       {@code Rtnetlink.openSocket}, {@code Sockets.ifNameToIndex/ifIndexToName}. Nothing else,
 *       and never anything that starts a thread.</li>
 *   <li><b>On the event loop that owns the fd</b>: binding, socket options, BPF filters,
 *       {@link io.leasehold.netns.PacketRing}, rtnetlink subscribe/dump requests, {@code close}.
 *       These do not depend on the calling thread's namespace: a socket stays in the namespace it
 *       was created in.</li>
 *   <li><b>The packet path</b> does not come here at all: the daemon wraps each fd in Netty's
 *       {@code FileDescriptor} inside an {@code EpollIoHandle} and uses its
 *       {@code read/readAddress/write/writeAddress}. {@link io.leasehold.netns.Rtnetlink#parse} and
 *       {@link io.leasehold.netns.PacketRing#drain} are the only calls it makes per wakeup.</li>
 *   <li><b>Anywhere</b>: {@link io.leasehold.netns.NetNamespace} handles,
 *       {@link io.leasehold.netns.NetnsSupport}, the pure parts ({@link io.leasehold.netns.Bpf},
 *       {@code Rtnetlink.parse}, {@code Rtnetlink.dumpRequest}).</li>
 * </ul>
 *
 * <h2>Attach sequence for one DHCPv4 interface</h2>
 * <pre>{@code
 * NetNamespace ns = NetNamespace.open("qdhcp-" + networkId);          // any thread
 * opener.open(ns, fds -> new Fds4(fds.add(Sockets.openPacket()),      // opener thread, inside
 *                                 fds.add(Sockets.openUdp4()),
 *                                 Sockets.ifNameToIndex(tap)))
 *       .thenAcceptAsync(s -> {                                        // the namespace's loop
 *           Sockets.attachFilter(s.packet(), Bpf.dhcpServerV4());     // filter before bind
 *           Sockets.bindPacket(s.packet(), Sockets.ETH_P_IP, s.ifindex());
 *           Sockets.attachFilter(s.udp(), Bpf.dropAll());
 *           Sockets.reuseAddress(s.udp(), true);
 *           Sockets.bindToDevice(s.udp(), tap);
 *           Sockets.bind(s.udp(), new InetSocketAddress("0.0.0.0", 67));
 *           loop.register(handleFor(s.packet()));                      // EpollIoHandle
 *       }, loop);
 * }</pre>
 * Detaching cancels the registrations and closes every fd and the {@code NetNamespace}: a held fd
 * or socket keeps a deleted namespace alive.
 */
package io.leasehold.netns;
