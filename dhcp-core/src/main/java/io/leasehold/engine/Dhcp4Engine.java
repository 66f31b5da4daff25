package io.leasehold.engine;

import io.leasehold.engine.Dhcp4Decision.Outcome;
import io.leasehold.engine.Dhcp4Decision.Routing;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.AddressRange;
import io.leasehold.model.Hostnames;
import io.leasehold.model.MatchRule;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.OptionLines;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.option.OptionSpace;
import io.leasehold.option.SubOption;
import io.leasehold.v4.Dhcp4Message;
import io.leasehold.v4.Dhcp4MessageType;
import io.leasehold.v4.Dhcp4MessageWriter;
import io.leasehold.v4.Dhcp4Options;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DHCPv4 server's decisions (RFC 2131 §4.3), as dnsmasq makes them for Neutron: a pure
 * function of the request, the network snapshot, the lease table and the clock. It writes the
 * reply into a {@link Dhcp4MessageWriter} and returns a {@link Dhcp4Decision} saying where the
 * reply goes and which lease changes must be durable first; it does no I/O.
 *
 * <p>Host reservations follow dnsmasq's {@code find_config}: a line whose {@code tag:} filters hold
 * beats one without filters; then a client-identifier match beats a MAC match; then the line added
 * last wins; and a line with an address only matches on that address's subnet. Options follow
 * {@link OptionSelection} and dnsmasq's {@code do_options}: 53, 54, 51, 58, 59, 1, 28, then the
 * defaults (router and DNS server are this server, the domain is the network's) when asked for and
 * not configured, then the configured options newest first, and option 82 echoed last.
 *
 * <p>Not authoritative by default, as dnsmasq runs under Neutron: a client this server has no
 * lease for is not NAKed on INIT-REBOOT or a broadcast REBIND, only ignored.
 *
 * <p>Not thread-safe: each event-loop thread owns an engine and reuses it.
 */
public final class Dhcp4Engine {

    /** dnsmasq's DECLINE_BACKOFF: a declined address is not offered for ten minutes. */
    public static final long DECLINE_QUARANTINE_SECONDS = 600;

    /** How long an offered dynamic address is held for the client it was offered to. */
    public static final long OFFER_HOLD_SECONDS = 60;

    /** dnsmasq never grants less than two minutes. */
    public static final long MIN_LEASE_SECONDS = 120;

    /** Option 57 values are clamped to this many octets of DHCP message at most (dnsmasq's ceiling). */
    public static final int MAX_REPLY_LENGTH = 16384;

    private static final int OPTION_SUBNET_SELECTION = 118;
    private static final int AGENT_LINK_SELECTION = 5;

    private final TagSet clientTags = new TagSet();
    private final OptionSelection selection = new OptionSelection();
    private final List<Subnet> contexts = new ArrayList<>(4);

    /**
     * Decides what to do with {@code request} and, when the decision is a reply, writes the reply
     * into {@code reply} (which the caller then lays out with {@link Dhcp4Decision#maxLength()}).
     */
    public Dhcp4Decision handle(Dhcp4Message request, Dhcp4Context ctx, Dhcp4MessageWriter reply) {
        if (request.op() != Dhcp4Message.OP_BOOTREQUEST) {
            return Dhcp4Decision.silent(Outcome.IGNORED_NOT_A_REQUEST, "op " + request.op());
        }
        int type = request.messageType();
        if (type == Dhcp4MessageType.BOOTP) {
            return Dhcp4Decision.silent(Outcome.IGNORED_BOOTP, "no option 53");
        }
        if (type != Dhcp4MessageType.DISCOVER.code() && type != Dhcp4MessageType.REQUEST.code()
                && type != Dhcp4MessageType.DECLINE.code() && type != Dhcp4MessageType.RELEASE.code()
                && type != Dhcp4MessageType.INFORM.code()) {
            return Dhcp4Decision.silent(Outcome.IGNORED_MESSAGE_TYPE, Dhcp4MessageType.label(type));
        }
        Transaction t = new Transaction(request, ctx, reply);
        if (contexts.isEmpty()) {
            return Dhcp4Decision.silent(Outcome.IGNORED_NO_SUBNET, "no address range available for "
                    + (t.link != 0 ? "relay " + IpAddresses.ipv4Text(t.link) : "interface " + ctx.iface().name()));
        }
        if (type == Dhcp4MessageType.DISCOVER.code()) {
            return t.discover();
        }
        if (type == Dhcp4MessageType.REQUEST.code()) {
            return t.request();
        }
        if (type == Dhcp4MessageType.DECLINE.code()) {
            return t.decline();
        }
        if (type == Dhcp4MessageType.RELEASE.code()) {
            return t.release();
        }
        return t.inform();
    }

    /** The state of one request while it is decided. */
    private final class Transaction {
        final Dhcp4Message req;
        final Dhcp4Context ctx;
        final NetworkSnapshot net;
        final LeaseTable leases;
        final Dhcp4MessageWriter out;
        final long now;
        final long mac;
        final Octets clientId;
        /** The link the client is on when relayed (giaddr, or a link-selection address), else 0. */
        final int link;
        final Reservation host;
        Subnet subnet;

        Transaction(Dhcp4Message req, Dhcp4Context ctx, Dhcp4MessageWriter out) {
            this.req = req;
            this.ctx = ctx;
            this.net = ctx.network();
            this.leases = ctx.leases();
            this.out = out;
            this.now = ctx.nowSeconds();
            this.mac = req.macAddress();
            ByteBuf cid = req.optionValue(Dhcp4Options.CLIENT_IDENTIFIER.code());
            this.clientId = cid != null && cid.isReadable() ? Octets.copyOf(cid) : null;
            this.link = linkAddress();
            clientTags.clear();
            addRequestTags();
            findContexts();
            this.host = contexts.isEmpty() ? null : findHost();
            if (host != null) {
                clientTags.add(TagSet.KNOWN);
                clientTags.addAll(host.setTags());
            }
            this.subnet = initialSubnet();
        }

        // ---- where the client is, who it is ---------------------------------------------------

        /** RFC 3011 option 118, RFC 3527 agent sub-option 5, else giaddr. */
        private int linkAddress() {
            int selected = req.ipv4Option(OPTION_SUBNET_SELECTION);
            if (selected != 0) {
                return selected;
            }
            if (req.hasOption(Dhcp4Options.RELAY_AGENT_INFORMATION.code())) {
                List<SubOption> agent = req.option(Dhcp4Options.RELAY_AGENT_INFORMATION);
                SubOption s = agent == null ? null : SubOption.find(agent, AGENT_LINK_SELECTION);
                if (s != null && s.data().length() == 4) {
                    byte[] b = s.data().toByteArray();
                    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
                }
            }
            return req.giaddr();
        }

        /** dnsmasq's contexts: the served subnets of the relay's link, or of the interface's addresses. */
        private void findContexts() {
            contexts.clear();
            for (Subnet s : net.subnets()) {
                if (!s.isIpv4() || !s.isServed()) {
                    continue;
                }
                if (link != 0) {
                    if (s.cidr().contains(link)) {
                        contexts.add(s);
                    }
                } else if (ctx.iface().ipv4In(s.cidr().ipv4Network(), s.cidr().ipv4Mask()) != 0) {
                    contexts.add(s);
                }
            }
        }

        private Subnet contextOf(int address) {
            for (Subnet s : contexts) {
                if (s.cidr().contains(address)) {
                    return s;
                }
            }
            return null;
        }

        /**
         * dnsmasq's {@code find_config}: lines whose {@code tag:} filters hold first, then lines
         * without filters; in each, client-identifier matches before MAC matches; the line added
         * last first; and a line with an IPv4 address only on that address's subnet.
         */
        private Reservation findHost() {
            List<Reservation> byId = clientId == null ? List.of() : net.reservationsByClientId(clientId);
            List<Reservation> byMac = mac == Lease4.NO_MAC ? List.of() : net.reservationsByMac(mac);
            for (int pass = 0; pass < 2; pass++) {
                Reservation r = pick(byId, pass == 0);
                if (r == null) {
                    r = pick(byMac, pass == 0);
                }
                if (r != null) {
                    return r;
                }
            }
            return null;
        }

        private Reservation pick(List<Reservation> lines, boolean filtered) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                Reservation r = lines.get(i);
                if (r.requiredTags().isEmpty() == filtered || !r.applies(clientTags.asSet())) {
                    continue;
                }
                if (!r.hasIpv4() || hostAddressIn(r) != 0) {
                    return r;
                }
            }
            return null;
        }

        /** The line's IPv4 address on one of the contexts, or 0. */
        private int hostAddressIn(Reservation r) {
            for (Subnet s : contexts) {
                int a = r.ipv4In(s.cidr());
                if (a != 0) {
                    return a;
                }
            }
            return 0;
        }

        private Subnet initialSubnet() {
            if (contexts.isEmpty()) {
                return null;
            }
            if (host != null) {
                int a = hostAddressIn(host);
                if (a != 0) {
                    return contextOf(a);
                }
            }
            int wanted = req.ciaddr() != 0 ? req.ciaddr() : req.ipv4Option(Dhcp4Options.REQUESTED_ADDRESS.code());
            Subnet s = wanted != 0 ? contextOf(wanted) : null;
            if (s != null) {
                return s;
            }
            for (Subnet c : contexts) {
                if (!c.isStaticOnly()) {
                    return c;
                }
            }
            return contexts.get(0);
        }

        /** The interface name and match-rule tags: what dnsmasq knows before looking at host lines. */
        private void addRequestTags() {
            clientTags.add(ctx.iface().name());
            for (MatchRule rule : net.matchRules()) {
                if (rule.kind() == MatchRule.Kind.DHCP4_OPTION && req.hasOption(rule.code())) {
                    clientTags.add(rule.setTag());
                } else if (rule.kind() == MatchRule.Kind.USER_CLASS && rule.value() != null
                        && userClassContains(rule.value())) {
                    clientTags.add(rule.setTag());
                }
            }
        }

        /** dnsmasq matches user classes as substrings of the option's bytes. */
        private boolean userClassContains(String value) {
            ByteBuf uc = req.optionValue(Dhcp4Options.USER_CLASS.code());
            if (uc == null) {
                return false;
            }
            byte[] needle = value.getBytes(StandardCharsets.UTF_8);
            int n = uc.readableBytes() - needle.length;
            outer:
            for (int i = 0; i <= n; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (uc.getByte(uc.readerIndex() + i + j) != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        // ---- leases and addresses --------------------------------------------------------------

        private boolean sameClient(Lease4 l) {
            if (clientId != null && clientId.equals(l.clientId())) {
                return true;
            }
            return (clientId == null || l.clientId() == null) && mac != Lease4.NO_MAC && l.mac() == mac;
        }

        /** dnsmasq's {@code lease_find_by_client}: by client identifier, else by MAC when one side has none. */
        private Lease4 clientLease(Subnet in) {
            Lease4 found = null;
            if (clientId != null) {
                for (Lease4 l : leases.v4ByClientId(clientId)) {
                    if (!l.expiredAt(now) && l.state() != LeaseState.DECLINED) {
                        if (in == null || in.cidr().contains(l.address())) {
                            return l;
                        }
                        found = found == null ? l : found;
                    }
                }
            }
            for (Lease4 l : leases.v4ByMac(mac)) {
                if (!l.expiredAt(now) && l.state() != LeaseState.DECLINED
                        && (clientId == null || l.clientId() == null)) {
                    if (in == null || in.cidr().contains(l.address())) {
                        return l;
                    }
                    found = found == null ? l : found;
                }
            }
            return found;
        }

        private Lease4 liveLease(int address) {
            Lease4 l = leases.v4(address);
            return l == null || l.expiredAt(now) ? null : l;
        }

        private boolean leasedToOther(int address) {
            Lease4 l = liveLease(address);
            return l != null && l.state() != LeaseState.DECLINED && !sameClient(l);
        }

        private boolean declined(int address) {
            Lease4 l = liveLease(address);
            return l != null && l.state() == LeaseState.DECLINED;
        }

        private boolean reservedByOther(int address) {
            Reservation r = net.reservationOf(address);
            return r != null && (host == null || !r.id().equals(host.id()));
        }

        private int ownAddress(Subnet s) {
            int a = s == null ? 0 : ctx.iface().ipv4In(s.cidr().ipv4Network(), s.cidr().ipv4Mask());
            if (a == 0 && ctx.iface().ipv4().length > 0) {
                a = ctx.iface().ipv4()[0];   // relayed: the address the relay reaches us on
            }
            return a;
        }

        private int hostAddress() {
            return host == null || subnet == null ? 0 : host.ipv4In(subnet.cidr());
        }

        private boolean inPool(Subnet s, int address) {
            for (AddressRange r : s.pools()) {
                if (r.contains(address)) {
                    return true;
                }
            }
            return false;
        }

        /** dnsmasq's {@code address_available}: in a dynamic pool and free for this client. */
        private boolean dynamicallyAvailable(Subnet s, int address) {
            return s != null && inPool(s, address) && !reservedByOther(address) && !leasedToOther(address)
                    && !declined(address) && address != ownAddress(s);
        }

        /** The address a DISCOVER gets, or 0 with {@code why} set. */
        private int offerAddress(String[] why) {
            int configured = hostAddress();
            if (configured != 0) {
                if (declined(configured)) {
                    why[0] = "previously declined";
                    return 0;
                }
                if (leasedToOther(configured)) {
                    why[0] = "not using configured address " + IpAddresses.ipv4Text(configured)
                            + " because it is leased to another client";
                    return 0;
                }
                if (configured == ownAddress(subnet)) {
                    why[0] = "configured address is in use by the server";
                    return 0;
                }
                return configured;
            }
            if (subnet.isStaticOnly()) {
                why[0] = "no address available";
                return 0;
            }
            Lease4 existing = clientLease(subnet);
            if (existing != null && dynamicallyAvailable(subnet, existing.address())) {
                return existing.address();
            }
            int requested = req.ipv4Option(Dhcp4Options.REQUESTED_ADDRESS.code());
            if (requested != 0 && dynamicallyAvailable(subnet, requested)) {
                return requested;
            }
            int a = allocate();
            if (a == 0) {
                why[0] = "no address available";
            }
            return a;
        }

        /**
         * Finds a free pool address, starting from a point derived from the client's identity so
         * that a returning client tends to get the same address and clients spread over the pool.
         */
        private int allocate() {
            long seed = clientId != null ? clientId.hashCode() : Long.hashCode(mac);
            for (AddressRange r : subnet.pools()) {
                long size = r.size();
                long start = Math.floorMod(seed * 0x9e3779b97f4a7c15L, size);
                for (long i = 0; i < size; i++) {
                    int a = (int) ((r.first() & 0xffffffffL) + (start + i) % size);
                    if (dynamicallyAvailable(subnet, a)) {
                        return a;
                    }
                }
            }
            return 0;
        }

        private boolean ourServerId(int serverId) {
            return ctx.iface().hasIpv4(serverId);
        }

        // ---- the message types ------------------------------------------------------------------

        Dhcp4Decision discover() {
            String[] why = new String[1];
            int address = offerAddress(why);
            if (address == 0) {
                return Dhcp4Decision.silent(Outcome.IGNORED_NO_ADDRESS, why[0]);
            }
            if (net.settings().rapidCommit4() && req.hasOption(Dhcp4Options.RAPID_COMMIT.code())) {
                return ack(address, true, null);
            }
            if (hostAddress() == 0) {
                // Hold a dynamic address for this client while it decides (not durable: an offer
                // grants nothing).
                Lease4 existing = liveLease(address);
                if (existing == null || existing.state() != LeaseState.BOUND) {
                    leases.put(new Lease4(address, mac, clientId, null, now + OFFER_HOLD_SECONDS, LeaseState.OFFERED));
                }
            }
            writeReply(Dhcp4MessageType.OFFER.code(), address, leaseSeconds(), false);
            return replyDecision(Outcome.OFFER, address, List.of());
        }

        Dhcp4Decision request() {
            int serverId = req.ipv4Option(Dhcp4Options.SERVER_IDENTIFIER.code());
            int requested = req.ipv4Option(Dhcp4Options.REQUESTED_ADDRESS.code());
            boolean selecting = requested != 0 && req.hasOption(Dhcp4Options.SERVER_IDENTIFIER.code());
            boolean authoritative = net.settings().authoritative();
            int address;
            if (selecting) {
                if (!ourServerId(serverId)) {
                    forgetOffer();
                    if (authoritative) {
                        return nak("wrong server-ID");
                    }
                    return Dhcp4Decision.silent(Outcome.IGNORED_OTHER_SERVER, "server-id "
                            + IpAddresses.ipv4Text(serverId));
                }
                address = requested;
            } else if (requested != 0) {
                // INIT-REBOOT: the client believes it holds this address.
                Lease4 lease = clientLease(null);
                if (lease == null && !authoritative) {
                    return Dhcp4Decision.silent(Outcome.IGNORED_NO_LEASE, "INIT-REBOOT without a lease");
                }
                if (lease != null && lease.address() != requested) {
                    return nak("wrong address");
                }
                address = requested;
            } else {
                // RENEWING (unicast) or REBINDING (broadcast): ciaddr is the address.
                address = req.ciaddr();
                Lease4 lease = clientLease(null);
                if (address == 0 || lease == null || lease.address() != address) {
                    if (authoritative || ctx.unicast()) {
                        return nak("lease not found");
                    }
                    return Dhcp4Decision.silent(Outcome.IGNORED_NO_LEASE, "REBIND without a lease");
                }
            }

            Subnet s = contextOf(address);
            if (s == null) {
                return nak("wrong network");
            }
            subnet = s;
            int configured = hostAddress();
            if (address != configured && !dynamicallyAvailable(s, address)) {
                return nak("address not available");
            }
            if (!selecting && configured != 0 && configured != address && !declined(configured)
                    && !leasedToOther(configured) && configured != ownAddress(s)) {
                return nak("static lease available");
            }
            if (reservedByOther(address)) {
                return nak("address reserved");
            }
            if (leasedToOther(address)) {
                return nak("address in use");
            }
            // A lease this client holds for another address on this subnet goes when this one is granted.
            Lease4 other = selecting ? clientLease(s) : null;
            return ack(address, false, other != null && other.address() != address ? other : null);
        }

        /** The client chose another server: an address held for it is free again. */
        private void forgetOffer() {
            Lease4 held = clientLease(null);
            if (held != null && held.state() == LeaseState.OFFERED) {
                leases.remove4(held.address());
            }
        }

        private Dhcp4Decision ack(int address, boolean rapidCommit, Lease4 replaced) {
            long lease = leaseSeconds();
            long expires = lease == Subnet.INFINITE ? Lease4.NEVER : now + lease;
            Lease4 granted = new Lease4(address, mac, clientId, leaseHostname(), expires, LeaseState.BOUND);
            boolean accepted = leases.put(granted).accepted();
            if (!accepted && replaced != null) {
                // The client's old lease makes room for its new one.
                leases.remove4(replaced.address());
                accepted = leases.put(granted).accepted();
                if (!accepted) {
                    leases.put(replaced);
                }
            }
            if (!accepted) {
                return nak("no leases left");
            }
            List<LeaseChange> changes = new ArrayList<>(2);
            if (replaced != null) {
                leases.remove4(replaced.address());
                if (replaced.state() == LeaseState.BOUND) {
                    changes.add(LeaseChange.delete(net.id(), replaced));
                }
            }
            changes.add(LeaseChange.put(net.id(), granted));
            writeReply(Dhcp4MessageType.ACK.code(), address, lease, rapidCommit);
            return replyDecision(Outcome.ACK, address, changes);
        }

        Dhcp4Decision decline() {
            int serverId = req.ipv4Option(Dhcp4Options.SERVER_IDENTIFIER.code());
            int address = req.ipv4Option(Dhcp4Options.REQUESTED_ADDRESS.code());
            if (address == 0 || !ourServerId(serverId)) {
                return Dhcp4Decision.silent(Outcome.IGNORED_NOT_FOR_US, "DECLINE without our server-id or an address");
            }
            Lease4 lease = liveLease(address);
            if (lease != null && !sameClient(lease)) {
                return Dhcp4Decision.silent(Outcome.IGNORED_UNKNOWN_LEASE, "DECLINE of another client's address");
            }
            // Quarantine the address whoever's it was: a client found it in use on the wire.
            Lease4 quarantined = new Lease4(address, mac, clientId, null, now + DECLINE_QUARANTINE_SECONDS,
                    LeaseState.DECLINED);
            leases.remove4(address);
            if (!leases.put(quarantined).accepted()) {
                return Dhcp4Decision.silent(Outcome.DECLINED, "declined (table full: not quarantined)",
                        lease == null ? List.of() : List.of(LeaseChange.delete(net.id(), lease)));
            }
            return Dhcp4Decision.silent(Outcome.DECLINED, "disabling " + IpAddresses.ipv4Text(address) + " for 10m",
                    List.of(LeaseChange.put(net.id(), quarantined)));
        }

        Dhcp4Decision release() {
            int serverId = req.ipv4Option(Dhcp4Options.SERVER_IDENTIFIER.code());
            int address = req.ciaddr();
            if (address == 0 || contextOf(address) == null || !ourServerId(serverId)) {
                return Dhcp4Decision.silent(Outcome.IGNORED_NOT_FOR_US, "RELEASE not for this server");
            }
            Lease4 lease = clientLease(contextOf(address));
            if (lease == null || lease.address() != address) {
                return Dhcp4Decision.silent(Outcome.IGNORED_UNKNOWN_LEASE, "unknown lease");
            }
            leases.remove4(address);
            return Dhcp4Decision.silent(Outcome.RELEASED, IpAddresses.ipv4Text(address),
                    List.of(LeaseChange.delete(net.id(), lease)));
        }

        Dhcp4Decision inform() {
            int ciaddr = req.ciaddr();
            if (ciaddr == 0) {
                return Dhcp4Decision.silent(Outcome.IGNORED_BAD_INFORM, "INFORM without ciaddr");
            }
            subnet = contextOf(ciaddr);
            writeReply(Dhcp4MessageType.ACK.code(), 0, Subnet.INFINITE, false);
            return new Dhcp4Decision(Outcome.INFORM_ACK, null, Routing.SOURCE, ciaddr, ownAddress(subnet), maxLength(), List.of());
        }

        // ---- building replies -------------------------------------------------------------------

        /** dnsmasq's {@code calc_time}: the host's or subnet's time, or less when the client asks. */
        private long leaseSeconds() {
            long configured = host != null && host.leaseSeconds() != Subnet.DEFAULT_TIME
                    ? host.leaseSeconds() : subnet.leaseSeconds();
            configured = Math.max(configured, MIN_LEASE_SECONDS);
            ByteBuf asked = req.optionValue(Dhcp4Options.LEASE_TIME.code());
            if (asked != null && asked.readableBytes() == 4) {
                long wanted = Math.max(asked.getUnsignedInt(asked.readerIndex()), MIN_LEASE_SECONDS);
                return configured == Subnet.INFINITE ? wanted : Math.min(wanted, configured);
            }
            return configured;
        }

        /** The name recorded with the lease: the reservation's short name, else a legal name the client gave. */
        private String leaseHostname() {
            String configured = host == null ? null : configuredName();
            return configured != null ? configured : clientHostname();
        }

        private String configuredName() {
            String n = host.shortName();
            return n == null || n.isEmpty() ? null : n.toLowerCase(Locale.ROOT);
        }

        /** The client's option 12 with its domain stripped, when it is a legal host name (dnsmasq's legal_hostname). */
        private String clientHostname() {
            String name = req.option(Dhcp4Options.HOST_NAME);
            if (name == null) {
                return null;
            }
            int nul = name.indexOf('\0');
            if (nul >= 0) {
                name = name.substring(0, nul);
            }
            int dot = name.indexOf('.');
            if (dot >= 0) {
                name = name.substring(0, dot);
            }
            return Hostnames.isLegalHostLabel(name) ? name : null;
        }

        private boolean requests(int code) {
            // No parameter request list: dnsmasq treats everything as requested.
            return !req.hasOption(Dhcp4Options.PARAMETER_REQUEST_LIST.code()) || req.requests(code);
        }

        private void writeReply(int type, int yiaddr, long lease, boolean rapidCommit) {
            int own = ownAddress(subnet);
            out.replyTo(req);
            // dnsmasq clears ciaddr in OFFERs and when the client asked for an address by option 50.
            boolean clearCiaddr = type == Dhcp4MessageType.OFFER.code()
                    || req.hasOption(Dhcp4Options.REQUESTED_ADDRESS.code());
            out.ciaddr(clearCiaddr ? 0 : req.ciaddr());
            out.yiaddr(yiaddr);
            if (net.settings().broadcastReplies()) {
                out.flags(req.flags() | Dhcp4Message.FLAG_BROADCAST);
            }
            List<OptionLines.Entry> chosen = subnet == null ? List.of()
                    : selection.select(net.options(), OptionSpace.DHCP4, clientTags, subnet.tags());
            out.siaddr(nextServer(chosen, own));

            out.optionU8(Dhcp4Options.MESSAGE_TYPE.code(), type);
            out.optionU32(Dhcp4Options.SERVER_IDENTIFIER.code(), own);
            boolean inform = yiaddr == 0;
            if (!inform) {
                out.optionU32(Dhcp4Options.LEASE_TIME.code(), (int) lease);
            } else if (requests(Dhcp4Options.LEASE_TIME.code())) {
                Lease4 l = clientLease(subnet);
                if (l != null && l.state() == LeaseState.BOUND) {
                    out.optionU32(Dhcp4Options.LEASE_TIME.code(), (int) l.remainingAt(now));
                }
            }
            if (rapidCommit) {
                out.option(Dhcp4Options.RAPID_COMMIT.code(), Octets.EMPTY);
            }
            ByteBuf selected = req.optionValue(OPTION_SUBNET_SELECTION);
            if (selected != null) {
                out.option(OPTION_SUBNET_SELECTION, selected);
            }
            if (!inform && lease != Subnet.INFINITE) {
                writeTimes(chosen, lease);
            }
            if (subnet != null) {
                writeDefaults(chosen, type, own);
            }
            writeConfigured(chosen, own);
            ByteBuf agent = req.optionValue(Dhcp4Options.RELAY_AGENT_INFORMATION.code());
            if (agent != null) {
                out.option(Dhcp4Options.RELAY_AGENT_INFORMATION.code(), agent);  // RFC 3046 §2.2: echoed, last
            }
        }

        /** {@code siaddr}: a {@code server-ip-address} line, else this server (dnsmasq's "next server"). */
        private int nextServer(List<OptionLines.Entry> chosen, int own) {
            for (OptionLines.Entry e : chosen) {
                OptionLine l = e.line();
                if (l.code() == OptionLine.NEXT_SERVER && l.value() != null && l.value().length() == 4) {
                    return l.value().unsignedByte(0) << 24 | l.value().unsignedByte(1) << 16
                            | l.value().unsignedByte(2) << 8 | l.value().unsignedByte(3);
                }
            }
            return own;
        }

        /** T1 = L/2, T2 = 7L/8, overridden by a selected T1/T2 line inside (2, L); T1 below T2. */
        private void writeTimes(List<OptionLines.Entry> chosen, long lease) {
            long t1 = lease / 2;
            long t2 = lease * 7 / 8;
            OptionLine l1 = find(chosen, Dhcp4Options.RENEWAL_TIME.code());
            OptionLine l2 = find(chosen, Dhcp4Options.REBINDING_TIME.code());
            long v1 = u32(l1);
            long v2 = u32(l2);
            if (v1 > 2 && v1 < lease) {
                t1 = v1;
            }
            if (v2 > 2 && v2 < lease) {
                t2 = v2;
            }
            if (t2 <= t1) {
                t1 = t2 - 1;
            }
            out.optionU32(Dhcp4Options.RENEWAL_TIME.code(), (int) t1);
            out.optionU32(Dhcp4Options.REBINDING_TIME.code(), (int) t2);
        }

        private long u32(OptionLine l) {
            if (l == null || l.value() == null || l.value().length() != 4) {
                return -1;
            }
            Octets v = l.value();
            return (long) v.unsignedByte(0) << 24 | v.unsignedByte(1) << 16 | v.unsignedByte(2) << 8 | v.unsignedByte(3);
        }

        /** Netmask and broadcast always; router, DNS, domain and host name when asked for; unless configured. */
        private void writeDefaults(List<OptionLines.Entry> chosen, int type, int own) {
            if (find(chosen, Dhcp4Options.SUBNET_MASK.code()) == null) {
                out.optionU32(Dhcp4Options.SUBNET_MASK.code(), subnet.cidr().ipv4Mask());
            }
            if (find(chosen, Dhcp4Options.BROADCAST_ADDRESS.code()) == null) {
                out.optionU32(Dhcp4Options.BROADCAST_ADDRESS.code(), subnet.cidr().ipv4Broadcast());
            }
            if (requests(Dhcp4Options.ROUTERS.code()) && find(chosen, Dhcp4Options.ROUTERS.code()) == null) {
                out.optionU32(Dhcp4Options.ROUTERS.code(), link != 0 ? link : own);
            }
            if (requests(Dhcp4Options.DOMAIN_NAME_SERVERS.code()) && net.settings().dnsService()
                    && find(chosen, Dhcp4Options.DOMAIN_NAME_SERVERS.code()) == null) {
                out.optionU32(Dhcp4Options.DOMAIN_NAME_SERVERS.code(), own);
            }
            String domain = net.settings().domain();
            if (domain != null && !domain.isEmpty() && requests(Dhcp4Options.DOMAIN_NAME.code())
                    && find(chosen, Dhcp4Options.DOMAIN_NAME.code()) == null) {
                out.option(Dhcp4Options.DOMAIN_NAME, domain);
            }
            String name = host != null ? configuredName() : clientHostname();
            if (name != null && requests(Dhcp4Options.HOST_NAME.code()) && find(chosen, Dhcp4Options.HOST_NAME.code()) == null
                    && (type != Dhcp4MessageType.OFFER.code() || offerCarriesName(name))) {
                out.option(Dhcp4Options.HOST_NAME, name);
            }
        }

        /** dnsmasq puts the configured name in an OFFER only if the client gave none, the same one, or an FQDN. */
        private boolean offerCarriesName(String name) {
            String given = req.option(Dhcp4Options.HOST_NAME);
            return given == null || given.equalsIgnoreCase(name) || req.hasOption(Dhcp4Options.CLIENT_FQDN.code());
        }

        private void writeConfigured(List<OptionLines.Entry> chosen, int own) {
            for (OptionLines.Entry e : chosen) {
                OptionLine l = e.line();
                int code = l.code();
                if (code == OptionLine.NEXT_SERVER || SKIPPED.contains(code)) {
                    continue;
                }
                if (!l.forced() && !requests(code)) {
                    if (l.value() != null && (code == Dhcp4Options.BOOT_FILE_NAME.code()
                            || code == Dhcp4Options.TFTP_SERVER_NAME.code())) {
                        bootField(code, l.value());
                    }
                    continue;
                }
                if (l.value() == null) {
                    // No value: for the options with defaults it suppresses them; others go empty.
                    if (!DEFAULTED.contains(code)) {
                        out.option(code, Octets.EMPTY);
                    }
                    continue;
                }
                Octets value = l.selfAddress() ? withOwnAddress(l.value(), own) : l.value();
                if (code == Dhcp4Options.BOOT_FILE_NAME.code() || code == Dhcp4Options.TFTP_SERVER_NAME.code()) {
                    value = nulTerminated(value);
                }
                out.option(code, value);
            }
        }

        /** An unrequested 66/67 goes in the BOOTP {@code sname}/{@code file} field, where PXE ROMs look. */
        private void bootField(int code, Octets value) {
            String text = new String(value.toByteArray(), StandardCharsets.UTF_8);
            try {
                if (code == Dhcp4Options.BOOT_FILE_NAME.code()) {
                    out.file(text);
                } else {
                    out.sname(text);
                }
            } catch (IllegalArgumentException tooLong) {
                out.option(code, nulTerminated(value));
            }
        }

        private Octets nulTerminated(Octets value) {
            if (value.length() > 0 && value.unsignedByte(value.length() - 1) == 0) {
                return value;
            }
            byte[] b = java.util.Arrays.copyOf(value.toByteArray(), value.length() + 1);
            return Octets.of(b);
        }

        /** {@code 0.0.0.0} in an address list stands for this server's address. */
        private Octets withOwnAddress(Octets value, int own) {
            byte[] b = value.toByteArray();
            for (int i = 0; i + 4 <= b.length; i += 4) {
                if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 0 && b[i + 3] == 0) {
                    b[i] = (byte) (own >>> 24);
                    b[i + 1] = (byte) (own >>> 16);
                    b[i + 2] = (byte) (own >>> 8);
                    b[i + 3] = (byte) own;
                }
            }
            return Octets.of(b);
        }

        private OptionLine find(List<OptionLines.Entry> chosen, int code) {
            for (OptionLines.Entry e : chosen) {
                if (e.line().code() == code) {
                    return e.line();
                }
            }
            return null;
        }

        private int maxLength() {
            int asked = req.u16Option(Dhcp4Options.MAX_MESSAGE_SIZE.code(), -1);
            if (asked < 0) {
                return Dhcp4MessageWriter.DEFAULT_MAX_LENGTH;
            }
            return Math.max(Dhcp4MessageWriter.DEFAULT_MAX_LENGTH, Math.min(MAX_REPLY_LENGTH, asked - 28));
        }

        private Dhcp4Decision replyDecision(Outcome outcome, int yiaddr, List<LeaseChange> changes) {
            boolean broadcast = req.broadcast() || net.settings().broadcastReplies() || req.htype() == 0 || req.hlen() == 0;
            Routing routing;
            int destination;
            if (req.giaddr() != 0) {
                routing = Routing.RELAY;
                destination = req.giaddr();
            } else if (req.ciaddr() != 0) {
                routing = Routing.CIADDR;
                destination = req.ciaddr();
            } else if (broadcast) {
                routing = Routing.BROADCAST;
                destination = 0;
            } else {
                routing = Routing.YIADDR;
                destination = yiaddr;
            }
            return new Dhcp4Decision(outcome, IpAddresses.ipv4Text(yiaddr), routing, destination, ownAddress(subnet), maxLength(),
                    changes);
        }

        /** RFC 2131 §4.3.2: a NAK carries 53, 54 and a message; it is broadcast unless relayed. */
        private Dhcp4Decision nak(String message) {
            int own = ownAddress(subnet);
            out.replyTo(req);
            boolean keepUnicast = ctx.unicast() && (req.giaddr() != 0
                    || (subnet != null && !subnet.cidr().contains(req.ciaddr())));
            if (!keepUnicast) {
                out.flags(req.flags() | Dhcp4Message.FLAG_BROADCAST);
            }
            out.optionU8(Dhcp4Options.MESSAGE_TYPE.code(), Dhcp4MessageType.NAK.code());
            out.optionU32(Dhcp4Options.SERVER_IDENTIFIER.code(), own);
            out.option(Dhcp4Options.MESSAGE, message);
            Routing routing;
            int destination = 0;
            if (req.giaddr() != 0) {
                routing = Routing.RELAY;
                destination = req.giaddr();
            } else if (keepUnicast) {
                routing = Routing.CIADDR;
                destination = req.ciaddr();
            } else {
                routing = Routing.BROADCAST;
            }
            return new Dhcp4Decision(Outcome.NAK, message, routing, destination, own, maxLength(), List.of());
        }
    }

    /** Options dnsmasq never sends from configuration: the client's, the framing, and the computed times. */
    private static final java.util.Set<Integer> SKIPPED = java.util.Set.of(
            Dhcp4Options.CLIENT_FQDN.code(), Dhcp4Options.MAX_MESSAGE_SIZE.code(), Dhcp4Options.OPTION_OVERLOAD.code(),
            Dhcp4Options.PAD.code(), Dhcp4Options.END.code(), Dhcp4Options.RENEWAL_TIME.code(),
            Dhcp4Options.REBINDING_TIME.code());

    /** Options with a default, which a line with no value suppresses instead of sending empty. */
    private static final java.util.Set<Integer> DEFAULTED = java.util.Set.of(
            Dhcp4Options.SUBNET_MASK.code(), Dhcp4Options.BROADCAST_ADDRESS.code(), Dhcp4Options.ROUTERS.code(),
            Dhcp4Options.DOMAIN_NAME_SERVERS.code(), Dhcp4Options.DOMAIN_NAME.code(), Dhcp4Options.HOST_NAME.code());
}
