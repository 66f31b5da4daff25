package io.leasehold.engine;

import io.leasehold.engine.Dhcp6Decision.Outcome;
import io.leasehold.lease.Lease4;
import io.leasehold.lease.Lease6;
import io.leasehold.lease.LeaseChange;
import io.leasehold.lease.LeaseState;
import io.leasehold.lease.LeaseTable;
import io.leasehold.model.MatchRule;
import io.leasehold.model.NetworkSnapshot;
import io.leasehold.model.OptionLine;
import io.leasehold.model.OptionLines;
import io.leasehold.model.Reservation;
import io.leasehold.model.Subnet;
import io.leasehold.option.DomainNames;
import io.leasehold.option.Duid;
import io.leasehold.option.OptionSpace;
import io.leasehold.v6.Dhcp6Message;
import io.leasehold.v6.Dhcp6MessageType;
import io.leasehold.v6.Dhcp6MessageWriter;
import io.leasehold.v6.Dhcp6OptionCursor;
import io.leasehold.v6.Dhcp6Options;
import io.leasehold.v6.Dhcp6RelayChain;
import io.leasehold.v6.Fqdn6;
import io.leasehold.v6.StatusCode;
import io.leasehold.wire.IpAddresses;
import io.leasehold.wire.Octets;
import io.netty.buffer.ByteBuf;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The DHCPv6 server's decisions (RFC 8415 §18.3), as dnsmasq makes them for Neutron, as a pure
 * function of the message, the network snapshot, the lease table and the clock. The reply is
 * written straight into the caller's buffer, wrapped in a RELAY-REPL for every relay the message
 * came through (Interface-Id echoed).
 *
 * <p>Replies carry, in dnsmasq's order: client and server identifiers, [rapid commit], the IAs, a
 * top-level status, [preference, in answers to a Solicit], the configured options newest first
 * (those the Option Request option asks for, or all when there is none), this server as DNS server
 * when none was sent, [information refresh time, for an Information-request], and the client FQDN
 * whenever a host name is known.
 *
 * <p>Reservations match by DUID ({@code id:} host lines) and by MAC, the MAC taken from the
 * relay's Client Link-Layer Address option, the transport's link-layer view, or the client's
 * DUID-LL/LLT; lines tagged {@code dhcpv6} win. Addresses come from reservations only: Neutron's
 * IPv6 subnets are static.
 *
 * <p>Deliberate differences from dnsmasq: no random "fuzz" is subtracted from renewal times; an
 * address reserved for a host is granted to it under a new IAID or DUID (udhcpc6 picks a new IAID
 * for every Solicit) instead of "address in use"; a Release of a reserved address the client no
 * longer holds is acknowledged without NoBinding, so that a repeated Release (dhcp_release6 sends
 * two) gets the same answer; and a Rebind for an address without a binding is granted only when the
 * address is this client's or free, not for any address of the prefix.
 *
 * <p>Not thread-safe: each event-loop thread owns an engine and reuses it.
 */
public final class Dhcp6Engine {

    /** dnsmasq's DECLINE_BACKOFF. */
    public static final long DECLINE_QUARANTINE_SECONDS = 600;

    /** Neither lifetimes nor the information refresh time go below this (dnsmasq). */
    public static final long MIN_LIFETIME_SECONDS = 120;
    public static final long MIN_INFORMATION_REFRESH_SECONDS = 600;

    private static final long INFINITE = Subnet.INFINITE;

    private final TagSet clientTags = new TagSet();
    private final OptionSelection selection = new OptionSelection();
    private final Dhcp6MessageWriter writer = new Dhcp6MessageWriter();
    private final Dhcp6OptionCursor iaCursor = new Dhcp6OptionCursor();
    private final Dhcp6OptionCursor addrCursor = new Dhcp6OptionCursor();

    /**
     * Decides what to do with the message of {@code chain} and, when the decision is a reply, writes
     * the reply (inside its relay envelopes) at {@code out}'s writer index.
     */
    public Dhcp6Decision handle(Dhcp6RelayChain chain, Dhcp6Context ctx, ByteBuf out) {
        Dhcp6Message req = chain.message();
        int type = req.messageType();
        if (!isClientMessage(type)) {
            return Dhcp6Decision.ignored(Outcome.IGNORED_MESSAGE_TYPE, Dhcp6MessageType.label(type));
        }
        int info = Dhcp6MessageType.INFORMATION_REQUEST.code();
        if (type != info && req.clientIdLength() < 0) {
            return Dhcp6Decision.ignored(Outcome.IGNORED_NO_CLIENT_ID, Dhcp6MessageType.label(type));
        }
        String serverIdProblem = checkServerId(req, type, ctx.serverDuid());
        if (serverIdProblem != null) {
            return Dhcp6Decision.ignored(Outcome.IGNORED_SERVER_ID, serverIdProblem);
        }
        Transaction t = new Transaction(chain, ctx, out);
        if (t.contexts.isEmpty()) {
            return Dhcp6Decision.ignored(Outcome.IGNORED_NO_SUBNET, "no address range available for DHCPv6 request via "
                    + (chain.isRelayed() ? "relay " + IpAddresses.text(t.linkAddress) : ctx.iface().name()));
        }
        switch (Dhcp6MessageType.of(type)) {
            case SOLICIT: return t.solicit();
            case REQUEST: return t.request();
            case RENEW: return t.renew(false);
            case REBIND: return t.renew(true);
            case CONFIRM: return t.confirm();
            case RELEASE: return t.release();
            case DECLINE: return t.decline();
            default: return t.informationRequest();
        }
    }

    private static boolean isClientMessage(int type) {
        Dhcp6MessageType t = Dhcp6MessageType.of(type);
        if (t == null) {
            return false;
        }
        switch (t) {
            case SOLICIT: case REQUEST: case CONFIRM: case RENEW: case REBIND: case RELEASE: case DECLINE:
            case INFORMATION_REQUEST:
                return true;
            default:
                return false;
        }
    }

    /** RFC 8415 §16: which messages must, may or must not name a server, and which one. */
    private static String checkServerId(Dhcp6Message req, int type, Duid serverDuid) {
        boolean has = req.serverIdLength() >= 0;
        boolean ours = has && serverDuid.bytes().contentEquals(req.buffer(), req.serverIdIndex(), req.serverIdLength());
        Dhcp6MessageType t = Dhcp6MessageType.of(type);
        switch (t) {
            case SOLICIT: case CONFIRM: case REBIND:
                return has ? t.name() + " carries a server identifier" : null;
            case REQUEST: case RENEW: case RELEASE: case DECLINE:
                return ours ? null : t.name() + (has ? " names another server" : " names no server");
            default:
                return has && !ours ? t.name() + " names another server" : null;
        }
    }

    /** One IA of the reply: its IAID, the addresses granted, and a status when something failed. */
    private static final class IaReply {
        final long iaid;
        final List<Inet6Address> addresses = new ArrayList<>(1);
        final List<long[]> lifetimes = new ArrayList<>(1);   // {preferred, valid}
        final List<Inet6Address> zeroed = new ArrayList<>(0); // returned with lifetimes 0
        int status = -1;
        String statusText;
        boolean noBindingTimes;

        IaReply(long iaid) {
            this.iaid = iaid;
        }

        void fail(int code, String text) {
            status = code;
            statusText = text;
        }
    }

    private final class Transaction {
        final Dhcp6RelayChain chain;
        final Dhcp6Message req;
        final Dhcp6Context ctx;
        final NetworkSnapshot net;
        final LeaseTable leases;
        final ByteBuf out;
        final long now;
        final Duid duid;
        final long mac;
        final Inet6Address linkAddress;
        final List<Subnet> contexts = new ArrayList<>(2);
        final Reservation host;
        final List<LeaseChange> changes = new ArrayList<>(2);

        Transaction(Dhcp6RelayChain chain, Dhcp6Context ctx, ByteBuf out) {
            this.chain = chain;
            this.req = chain.message();
            this.ctx = ctx;
            this.net = ctx.network();
            this.leases = ctx.leases();
            this.out = out;
            this.now = ctx.nowSeconds();
            this.duid = clientDuid();
            Dhcp6Message innermost = chain.isRelayed() ? chain.relay(chain.depth() - 1) : null;
            this.linkAddress = innermost != null ? innermost.linkAddress() : null;
            long m = innermost != null ? innermost.linkLayerMac() : ctx.linkLayerMac();
            this.mac = m != -1 ? m : req.clientIdMac();
            findContexts();
            clientTags.clear();
            clientTags.add(Reservation.TAG_DHCPV6).add(ctx.iface().name());
            addMatchRuleTags();
            this.host = contexts.isEmpty() ? null : findHost();
            if (host != null) {
                clientTags.add(TagSet.KNOWN);
                clientTags.addAll(host.setTags());
            }
        }

        private Duid clientDuid() {
            int len = req.clientIdLength();
            if (len < Duid.MIN_LENGTH || len > Duid.MAX_LENGTH) {
                return null;
            }
            return Duid.of(Octets.copyOf(req.buffer(), req.clientIdIndex(), len));
        }

        private void findContexts() {
            for (Subnet s : net.subnets()) {
                if (s.isIpv4() || !s.isServed()) {
                    continue;
                }
                boolean onLink = linkAddress != null && !linkAddress.isAnyLocalAddress()
                        ? s.cidr().contains(linkAddress) : ctx.iface().ipv6In(s.cidr()) != null;
                if (onLink) {
                    contexts.add(s);
                }
            }
        }

        private void addMatchRuleTags() {
            for (MatchRule rule : net.matchRules()) {
                if (rule.kind() == MatchRule.Kind.DHCP6_OPTION && req.hasOption(rule.code())) {
                    clientTags.add(rule.setTag());
                } else if (rule.kind() == MatchRule.Kind.USER_CLASS && rule.value() != null
                        && contains(req.optionValue(Dhcp6Options.USER_CLASS.code()), rule.value())) {
                    clientTags.add(rule.setTag());
                }
            }
        }

        private boolean contains(ByteBuf haystack, String value) {
            if (haystack == null) {
                return false;
            }
            byte[] needle = value.getBytes(StandardCharsets.UTF_8);
            outer:
            for (int i = 0; i <= haystack.readableBytes() - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack.getByte(haystack.readerIndex() + i + j) != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        /** {@code find_config} for DHCPv6: filtered lines first; DUID before MAC; last added first; on-link addresses. */
        private Reservation findHost() {
            List<Reservation> byDuid = duid == null ? List.of() : net.reservationsByDuid(duid);
            List<Reservation> byMac = mac == -1 ? List.of() : net.reservationsByMac(mac);
            for (int pass = 0; pass < 2; pass++) {
                Reservation r = pick(byDuid, pass == 0);
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
                if (!r.hasIpv6() || onLinkAddress(r) != null) {
                    return r;
                }
            }
            return null;
        }

        private Inet6Address onLinkAddress(Reservation r) {
            for (Subnet s : contexts) {
                List<Inet6Address> a = r.ipv6In(s.cidr());
                if (!a.isEmpty()) {
                    return a.get(0);
                }
            }
            return null;
        }

        private Subnet contextOf(Inet6Address address) {
            for (Subnet s : contexts) {
                if (s.cidr().contains(address)) {
                    return s;
                }
            }
            return null;
        }

        /** The subnet whose tags and times apply: the context of the first address, else the first context. */
        private Subnet mainContext(List<IaReply> ias) {
            for (IaReply ia : ias) {
                for (Inet6Address a : ia.addresses) {
                    Subnet s = contextOf(a);
                    if (s != null) {
                        return s;
                    }
                }
            }
            if (host != null) {
                Inet6Address a = onLinkAddress(host);
                if (a != null) {
                    return contextOf(a);
                }
            }
            return contexts.get(0);
        }

        // ---- leases -----------------------------------------------------------------------------

        private Lease6 live(Inet6Address address) {
            Lease6 l = leases.v6(address);
            return l == null || l.expiredAt(now) ? null : l;
        }

        private boolean declined(Inet6Address address) {
            Lease6 l = live(address);
            return l != null && l.state() == LeaseState.DECLINED;
        }

        /** True when the lease's client is this client: same DUID, or a DUID naming this MAC. */
        private boolean sameClient(Lease6 l) {
            if (duid != null && duid.equals(l.duid())) {
                return true;
            }
            Octets lladdr = l.duid().linkLayerAddress();
            return mac != -1 && lladdr != null && lladdr.length() == 6 && toMac(lladdr) == mac;
        }

        private long toMac(Octets o) {
            long v = 0;
            for (int i = 0; i < 6; i++) {
                v = v << 8 | o.unsignedByte(i);
            }
            return v;
        }

        private boolean heldByOther(Inet6Address address) {
            Lease6 l = live(address);
            return l != null && l.state() != LeaseState.DECLINED && !sameClient(l);
        }

        private boolean configured(Inet6Address address) {
            return host != null && host.addresses().contains(address);
        }

        private boolean reservedByOther(Inet6Address address) {
            Reservation r = net.reservationOf(address);
            return r != null && (host == null || !r.id().equals(host.id()));
        }

        private long leaseSeconds(Subnet s) {
            long configured = host != null && host.leaseSeconds() != Subnet.DEFAULT_TIME ? host.leaseSeconds() : s.leaseSeconds();
            return Math.max(configured, MIN_LIFETIME_SECONDS);
        }

        private String hostShortName() {
            return host == null ? null : host.shortName();
        }

        /** Records a binding and its journal entry. */
        private boolean commit(long iaid, Inet6Address address, long valid) {
            long expires = valid == INFINITE ? Lease4.NEVER : now + valid;
            Lease6 lease = new Lease6(address, 128, Lease6.IaType.NA, duid, iaid, hostShortName(), expires, LeaseState.BOUND);
            Lease6 old = live(address);
            if (old != null && (old.iaid() != iaid || !old.duid().equals(duid))) {
                leases.remove6(address, 128);
            }
            if (!leases.put(lease).accepted()) {
                return false;
            }
            changes.add(LeaseChange.put(net.id(), lease));
            return true;
        }

        /**
         * The reserved addresses for one IA: one per stateful subnet on the link, the client's hint
         * when it names one of the host's addresses there, else the first the IA has not been given
         * yet. A host with several addresses in one subnet gets them over several IAs.
         */
        private List<Inet6Address> reservedFor(List<Inet6Address> hints, Set<Inet6Address> used) {
            List<Inet6Address> out = new ArrayList<>(1);
            if (host == null) {
                return out;
            }
            for (Subnet s : contexts) {
                if (!s.isStateful()) {
                    continue;
                }
                Inet6Address pick = null;
                for (Inet6Address hint : hints) {
                    if (s.cidr().contains(hint) && configured(hint) && usable(hint, used)) {
                        pick = hint;
                        break;
                    }
                }
                if (pick == null) {
                    for (Inet6Address a : host.ipv6In(s.cidr())) {
                        if (usable(a, used)) {
                            pick = a;
                            break;
                        }
                    }
                }
                if (pick != null) {
                    out.add(pick);
                    used.add(pick);
                }
            }
            return out;
        }

        private boolean usable(Inet6Address a, Set<Inet6Address> used) {
            Subnet s = contextOf(a);
            return s != null && s.isStateful() && !used.contains(a) && !declined(a) && !heldByOther(a);
        }

        // ---- message types ----------------------------------------------------------------------

        Dhcp6Decision solicit() {
            boolean rapid = req.rapidCommit();
            List<IaReply> ias = assignAll();
            boolean any = ias.stream().anyMatch(ia -> !ia.addresses.isEmpty());
            if (!any) {
                begin(rapid ? Dhcp6MessageType.REPLY : Dhcp6MessageType.ADVERTISE);
                if (rapid) {
                    writer.emptyOption(Dhcp6Options.RAPID_COMMIT.code());
                    for (IaReply ia : ias) {
                        writer.openIaNa(ia.iaid, INFINITE, INFINITE)
                                .statusCode(StatusCode.NO_ADDRS_AVAIL, "address unavailable").close();
                    }
                }
                writer.statusCode(StatusCode.NO_ADDRS_AVAIL, "no addresses available");
                writer.finish();
                return new Dhcp6Decision(rapid ? Outcome.REPLY_NO_BINDING : Outcome.ADVERTISE_NO_ADDRESS,
                        "no addresses available", List.of());
            }
            Subnet main = mainContext(ias);
            if (rapid) {
                commitAll(ias);
            }
            begin(rapid ? Dhcp6MessageType.REPLY : Dhcp6MessageType.ADVERTISE);
            if (rapid) {
                writer.emptyOption(Dhcp6Options.RAPID_COMMIT.code());
            }
            writeIas(ias);
            writer.statusCode(StatusCode.SUCCESS, "success");
            writer.optionU8(Dhcp6Options.PREFERENCE.code(), net.settings().authoritative() ? 255 : 0);
            writeOptions(main, rapid, false);
            writer.finish();
            return new Dhcp6Decision(rapid ? Outcome.REPLY : Outcome.ADVERTISE, addressesText(ias), changes);
        }

        Dhcp6Decision request() {
            List<IaReply> ias = new ArrayList<>();
            Set<Inet6Address> used = new java.util.HashSet<>();
            // dnsmasq answers an IA without addresses as it answers a rapid-commit Solicit,
            // preference included (udhcpc6 requests that way).
            boolean solicitLike = false;
            for (int i = req.indexOf(Dhcp6Options.IA_NA.code()); i >= 0; i = req.indexOf(Dhcp6Options.IA_NA.code(), i + 1)) {
                IaReply ia = new IaReply(req.iaid(i));
                List<Inet6Address> asked = iaAddresses(i);
                if (asked.isEmpty()) {
                    solicitLike = true;
                    assign(ia, i, used);
                }
                for (Inet6Address a : asked) {
                    if (contextOf(a) == null) {
                        ia.fail(StatusCode.NOT_ON_LINK, "not on link");
                    } else if (!configured(a) || reservedByOther(a) || declined(a)) {
                        ia.fail(StatusCode.NO_ADDRS_AVAIL, "address unavailable");
                    } else if (heldByOther(a)) {
                        ia.fail(StatusCode.UNSPEC_FAIL, "address in use");
                    } else {
                        grant(ia, a, used, hintFor(i, a));
                    }
                }
                ias.add(ia);
            }
            boolean any = ias.stream().anyMatch(ia -> !ia.addresses.isEmpty());
            Subnet main = mainContext(ias);
            commitAll(ias);
            begin(Dhcp6MessageType.REPLY);
            writeIas(ias);
            if (any) {
                writer.statusCode(StatusCode.SUCCESS, "success");
                if (solicitLike) {
                    writer.optionU8(Dhcp6Options.PREFERENCE.code(), net.settings().authoritative() ? 255 : 0);
                }
            } else {
                writer.statusCode(StatusCode.NO_ADDRS_AVAIL, "no addresses available");
            }
            writeOptions(main, any, false);
            writer.finish();
            return new Dhcp6Decision(any ? Outcome.REPLY : Outcome.REPLY_NO_BINDING, addressesText(ias), changes);
        }

        /** RENEW (the client's own server) and REBIND (any server): extend what the client holds. */
        Dhcp6Decision renew(boolean rebind) {
            List<IaReply> ias = new ArrayList<>();
            Set<Inet6Address> used = new java.util.HashSet<>();
            for (int i = req.indexOf(Dhcp6Options.IA_NA.code()); i >= 0; i = req.indexOf(Dhcp6Options.IA_NA.code(), i + 1)) {
                long iaid = req.iaid(i);
                IaReply ia = new IaReply(iaid);
                for (Inet6Address a : iaAddresses(i)) {
                    Lease6 l = live(a);
                    boolean bound = l != null && l.state() == LeaseState.BOUND && sameClient(l);
                    if (contextOf(a) == null || (!configured(a) && reservedByOther(a))) {
                        ia.zeroed.add(a);   // no longer appropriate for the link: lifetimes 0
                    } else if (bound || (rebind && (configured(a) || (!heldByOther(a) && !reservedByOther(a))))) {
                        grant(ia, a, used, hintFor(i, a));
                    } else if (!rebind) {
                        ia.fail(StatusCode.NO_BINDING, "no binding found");
                        ia.noBindingTimes = true;
                    } else {
                        ia.zeroed.add(a);
                    }
                }
                ias.add(ia);
            }
            boolean any = ias.stream().anyMatch(ia -> !ia.addresses.isEmpty());
            Subnet main = mainContext(ias);
            commitAll(ias);
            begin(Dhcp6MessageType.REPLY);
            writeIas(ias);
            if (rebind && !any) {
                writer.statusCode(StatusCode.NO_ADDRS_AVAIL, "no addresses available");
            }
            writeOptions(main, true, false);
            writer.finish();
            return new Dhcp6Decision(any ? Outcome.REPLY : Outcome.REPLY_NO_BINDING, addressesText(ias), changes);
        }

        Dhcp6Decision confirm() {
            List<Inet6Address> addresses = new ArrayList<>();
            collectAddresses(Dhcp6Options.IA_NA.code(), addresses);
            collectAddresses(Dhcp6Options.IA_TA.code(), addresses);
            if (addresses.isEmpty()) {
                return Dhcp6Decision.ignored(Outcome.IGNORED_NOTHING_TO_CONFIRM, "CONFIRM without addresses");
            }
            boolean onLink = addresses.stream().allMatch(a -> contextOf(a) != null);
            begin(Dhcp6MessageType.REPLY);
            if (onLink) {
                writer.statusCode(StatusCode.SUCCESS, "all addresses still on link");
            } else {
                writer.statusCode(StatusCode.NOT_ON_LINK, "confirm failed");
            }
            writer.finish();
            return new Dhcp6Decision(onLink ? Outcome.CONFIRMED : Outcome.REPLY_NO_BINDING,
                    onLink ? "on link" : "not on link", List.of());
        }

        Dhcp6Decision release() {
            List<Long> unknown = new ArrayList<>();
            List<Inet6Address> unknownAddresses = new ArrayList<>();
            for (int i = req.indexOf(Dhcp6Options.IA_NA.code()); i >= 0; i = req.indexOf(Dhcp6Options.IA_NA.code(), i + 1)) {
                long iaid = req.iaid(i);
                for (Inet6Address a : iaAddresses(i)) {
                    Lease6 l = live(a);
                    if (l != null && l.state() == LeaseState.BOUND && sameClient(l)) {
                        leases.remove6(a, 128);
                        changes.add(LeaseChange.delete(net.id(), l));
                    } else if (!configured(a)) {
                        unknown.add(iaid);
                        unknownAddresses.add(a);
                    }
                }
            }
            begin(Dhcp6MessageType.REPLY);
            writeNoBinding(unknown, unknownAddresses);
            writer.statusCode(StatusCode.SUCCESS, "release received");
            writer.finish();
            return new Dhcp6Decision(Outcome.RELEASED, changes.size() + " released", changes);
        }

        Dhcp6Decision decline() {
            List<Long> unknown = new ArrayList<>();
            List<Inet6Address> unknownAddresses = new ArrayList<>();
            for (int i = req.indexOf(Dhcp6Options.IA_NA.code()); i >= 0; i = req.indexOf(Dhcp6Options.IA_NA.code(), i + 1)) {
                long iaid = req.iaid(i);
                for (Inet6Address a : iaAddresses(i)) {
                    Lease6 l = live(a);
                    if ((l != null && sameClient(l)) || configured(a)) {
                        Lease6 quarantined = new Lease6(a, 128, Lease6.IaType.NA, duid, iaid, null,
                                now + DECLINE_QUARANTINE_SECONDS, LeaseState.DECLINED);
                        leases.remove6(a, 128);
                        if (leases.put(quarantined).accepted()) {
                            changes.add(LeaseChange.put(net.id(), quarantined));
                        } else if (l != null) {
                            changes.add(LeaseChange.delete(net.id(), l));
                        }
                    } else {
                        unknown.add(iaid);
                        unknownAddresses.add(a);
                    }
                }
            }
            begin(Dhcp6MessageType.REPLY);
            writeNoBinding(unknown, unknownAddresses);
            writer.statusCode(StatusCode.SUCCESS, "success");
            writer.finish();
            return new Dhcp6Decision(Outcome.DECLINED, changes.size() + " declined", changes);
        }

        Dhcp6Decision informationRequest() {
            if (req.hasOption(Dhcp6Options.IA_NA.code()) || req.hasOption(Dhcp6Options.IA_TA.code())) {
                return Dhcp6Decision.ignored(Outcome.IGNORED_BAD_INFORMATION_REQUEST, "INFORMATION-REQUEST with an IA");
            }
            // dnsmasq uses a subnet's tags for an Information-request only when the link has one.
            Subnet main = contexts.size() == 1 ? contexts.get(0) : null;
            begin(Dhcp6MessageType.REPLY);
            writeOptions(main, false, true);
            writer.finish();
            return new Dhcp6Decision(Outcome.INFORMED, null, List.of());
        }

        // ---- IA helpers -----------------------------------------------------------------------

        /** Solicit: one reserved address per IA_NA, a different one for each; IA_TA and IA_PD get none. */
        private List<IaReply> assignAll() {
            List<IaReply> ias = new ArrayList<>();
            Set<Inet6Address> used = new java.util.HashSet<>();
            for (int i = req.indexOf(Dhcp6Options.IA_NA.code()); i >= 0; i = req.indexOf(Dhcp6Options.IA_NA.code(), i + 1)) {
                IaReply ia = new IaReply(req.iaid(i));
                assign(ia, i, used);
                ias.add(ia);
            }
            return ias;
        }

        /** Assigns the IA at option index {@code i} its reserved addresses, its own hints first. */
        private void assign(IaReply ia, int i, Set<Inet6Address> used) {
            List<Inet6Address> addresses = reservedFor(iaAddresses(i), used);
            if (addresses.isEmpty()) {
                ia.fail(StatusCode.NO_ADDRS_AVAIL, "address unavailable");
            }
            for (Inet6Address a : addresses) {
                grant(ia, a, used, hintFor(i, a));
            }
        }

        /**
         * Grants {@code a} for the lease time, or for the client's shorter lifetimes when it asked
         * for this address with some ({@code hint}: {preferred, valid}), as dnsmasq's
         * {@code calculate_times} does: ignored when preferred &gt; valid (RFC 8415 §21.6), 0 means
         * no preference, and a wish below 120 s counts as 120 s.
         */
        private void grant(IaReply ia, Inet6Address a, Set<Inet6Address> used, long[] hint) {
            Subnet s = contextOf(a);
            long lease = leaseSeconds(s);
            long preferred = lease;
            long valid = lease;
            if (hint != null && hint[0] <= hint[1]) {
                if (hint[0] != 0) {
                    preferred = Math.min(preferred, Math.max(MIN_LIFETIME_SECONDS, hint[0]));
                }
                if (hint[1] != 0) {
                    valid = Math.min(valid, Math.max(MIN_LIFETIME_SECONDS, hint[1]));
                }
            }
            ia.addresses.add(a);
            ia.lifetimes.add(new long[] {preferred, valid});
            used.add(a);
        }

        /** The lifetimes the client gave {@code a} in the IA at option index {@code i}: {preferred, valid}, or null. */
        private long[] hintFor(int i, Inet6Address a) {
            byte[] want = a.getAddress();
            try {
                Dhcp6OptionCursor c = req.nested(i, iaCursor);
                while (c.next(Dhcp6Options.IAADDR.code())) {
                    if (c.length() >= 24) {
                        boolean same = true;
                        for (int k = 0; k < 16 && same; k++) {
                            same = c.buffer().getByte(c.valueIndex() + k) == want[k];
                        }
                        if (same) {
                            return new long[] {c.buffer().getUnsignedInt(c.valueIndex() + 16),
                                    c.buffer().getUnsignedInt(c.valueIndex() + 20)};
                        }
                    }
                }
            } catch (io.leasehold.wire.MalformedPacketException badIa) {
                // no hint from a malformed IA
            }
            return null;
        }

        /**
         * Records every granted address. At the lease cap dnsmasq still hands the address out without
         * recording it, and so does this: the client is a reserved host, whose address is its anyway.
         */
        private void commitAll(List<IaReply> ias) {
            for (IaReply ia : ias) {
                for (int k = 0; k < ia.addresses.size(); k++) {
                    commit(ia.iaid, ia.addresses.get(k), ia.lifetimes.get(k)[1]);
                }
            }
        }

        /** The addresses of the IAADDRs inside the IA option at index {@code i}. */
        private List<Inet6Address> iaAddresses(int i) {
            List<Inet6Address> out = new ArrayList<>(1);
            try {
                Dhcp6OptionCursor c = req.nested(i, iaCursor);
                while (c.next(Dhcp6Options.IAADDR.code())) {
                    if (c.length() >= 24) {
                        byte[] b = new byte[16];
                        c.buffer().getBytes(c.valueIndex(), b);
                        out.add(IpAddresses.ipv6(b));
                    }
                }
            } catch (io.leasehold.wire.MalformedPacketException badIa) {
                // A lying nested length costs this IA its addresses, not the message.
            }
            return out;
        }

        private void collectAddresses(int code, List<Inet6Address> into) {
            for (int i = req.indexOf(code); i >= 0; i = req.indexOf(code, i + 1)) {
                into.addAll(iaAddresses(i));
            }
        }

        // ---- writing ----------------------------------------------------------------------------

        private void begin(Dhcp6MessageType type) {
            writer.begin(out);
            if (chain.isRelayed()) {
                writer.relayReplies(chain);
            }
            writer.replyTo(req, type.code());
            writer.echo(req, Dhcp6Options.CLIENT_ID.code());
            writer.option(Dhcp6Options.SERVER_ID.code(), ctx.serverDuid().bytes());
        }

        /** T1 = min/2, T2 = (min/8)·7 of the IA's shortest lifetime, as dnsmasq computes them. */
        private void writeIas(List<IaReply> ias) {
            for (IaReply ia : ias) {
                long min = INFINITE;
                for (long[] lt : ia.lifetimes) {
                    min = Math.min(min, lt[0]);
                }
                long t1 = ia.noBindingTimes ? 0 : min == INFINITE ? INFINITE : min / 2;
                long t2 = ia.noBindingTimes ? 0 : min == INFINITE ? INFINITE : min / 8 * 7;
                if (ia.addresses.isEmpty() && !ia.noBindingTimes && ia.zeroed.isEmpty()) {
                    t1 = 0;
                    t2 = 0;
                }
                writer.openIaNa(ia.iaid, t1, t2);
                for (int k = 0; k < ia.addresses.size(); k++) {
                    Inet6Address a = ia.addresses.get(k);
                    writer.iaAddress(high(a), low(a), ia.lifetimes.get(k)[0], ia.lifetimes.get(k)[1]);
                }
                for (Inet6Address a : ia.zeroed) {
                    writer.iaAddress(high(a), low(a), 0, 0);
                }
                if (ia.status >= 0) {
                    writer.statusCode(ia.status, ia.statusText);
                }
                writer.close();
            }
        }

        private void writeNoBinding(List<Long> iaids, List<Inet6Address> addresses) {
            for (int k = 0; k < iaids.size(); k++) {
                Inet6Address a = addresses.get(k);
                writer.openIaNa(iaids.get(k), 0, 0).iaAddress(high(a), low(a), 0, 0)
                        .statusCode(StatusCode.NO_BINDING, "no binding found").close();
            }
        }

        /**
         * Configured options (ORO-filtered), this server as DNS server when none went out, the
         * information refresh time for an Information-request, and the client FQDN.
         */
        private void writeOptions(Subnet context, boolean committed, boolean information) {
            boolean noOro = !req.hasOption(Dhcp6Options.ORO.code());
            List<OptionLines.Entry> chosen = selection.select(net.options(), OptionSpace.DHCP6, clientTags,
                    context == null ? Set.of() : context.tags());
            boolean dnsSent = false;
            boolean refreshSent = false;
            for (OptionLines.Entry e : chosen) {
                OptionLine l = e.line();
                int code = l.code();
                if (code == OptionLine.NEXT_SERVER || code == Dhcp6Options.CLIENT_FQDN.code()) {
                    continue;
                }
                if (!noOro && !l.forced() && !req.requests(code)) {
                    continue;
                }
                Octets value = l.value() == null ? Octets.EMPTY
                        : l.selfAddress() ? withOwnAddress(l.value(), context) : l.value();
                writer.option(code, value);
                dnsSent |= code == Dhcp6Options.DNS_SERVERS.code();
                refreshSent |= code == Dhcp6Options.INFORMATION_REFRESH_TIME.code();
            }
            if (!dnsSent && net.settings().dnsService()) {
                Inet6Address own = ownAddress(context);
                if (own != null) {
                    writer.option(Dhcp6Options.DNS_SERVERS.code(), own.getAddress());
                }
            }
            if (information && !refreshSent) {
                long refresh = Long.MAX_VALUE;
                for (Subnet s : contexts) {
                    refresh = Math.min(refresh, s.leaseSeconds());
                }
                writer.optionU32(Dhcp6Options.INFORMATION_REFRESH_TIME.code(),
                        Math.max(MIN_INFORMATION_REFRESH_SECONDS, Math.min(refresh, INFINITE)));
            }
            writeFqdn(committed, information);
        }

        /** RFC 4704 §5: the name the server uses; dnsmasq sends it whenever it knows one. */
        private void writeFqdn(boolean committed, boolean information) {
            Fqdn6 sent = req.option(Dhcp6Options.CLIENT_FQDN);
            String name = hostShortName();
            String domain = null;
            if (name != null) {
                if (information) {
                    int dot = host.hostname().indexOf('.');
                    domain = dot >= 0 ? host.hostname().substring(dot + 1) : net.settings().domain();
                } else if (committed) {
                    domain = net.settings().domain();
                }
            } else if (sent != null && !sent.name().isEmpty()) {
                String given = sent.name();
                int dot = given.indexOf('.');
                name = dot >= 0 ? given.substring(0, dot) : given;
                if (!io.leasehold.model.Hostnames.isLegalHostLabel(name)) {
                    return;
                }
                domain = net.settings().domain();
            }
            if (name == null) {
                return;
            }
            if (domain != null && domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            int flags = Fqdn6.FLAG_S;
            if (sent != null) {
                flags = sent.flags();
                if ((flags & Fqdn6.FLAG_S) == 0) {
                    flags |= Fqdn6.FLAG_S | Fqdn6.FLAG_O;
                }
                flags &= ~Fqdn6.FLAG_N;
            }
            boolean absolute = domain != null && !domain.isEmpty();
            String full = absolute ? name + "." + domain : name;
            writer.option(Dhcp6Options.CLIENT_FQDN, new Fqdn6(flags, DomainNames.toText(DomainNames.parseLabels(full)), absolute));
        }

        private Inet6Address ownAddress(Subnet context) {
            Inet6Address a = context == null ? null : ctx.iface().ipv6In(context.cidr());
            return a != null ? a : ctx.iface().fallbackIpv6();
        }

        /** {@code [::]} in an address option stands for this server's address on the subnet. */
        private Octets withOwnAddress(Octets value, Subnet context) {
            Inet6Address own = ownAddress(context);
            if (own == null) {
                return value;
            }
            byte[] b = value.toByteArray();
            byte[] o = own.getAddress();
            for (int i = 0; i + 16 <= b.length; i += 16) {
                boolean zero = true;
                for (int j = 0; j < 16 && zero; j++) {
                    zero = b[i + j] == 0;
                }
                if (zero) {
                    System.arraycopy(o, 0, b, i, 16);
                }
            }
            return Octets.of(b);
        }

        private String addressesText(List<IaReply> ias) {
            StringBuilder sb = new StringBuilder();
            for (IaReply ia : ias) {
                for (Inet6Address a : ia.addresses) {
                    sb.append(sb.length() > 0 ? " " : "").append(IpAddresses.text(a));
                }
            }
            return sb.toString();
        }
    }

    private static long high(Inet6Address a) {
        byte[] b = a.getAddress();
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    private static long low(Inet6Address a) {
        byte[] b = a.getAddress();
        long v = 0;
        for (int i = 8; i < 16; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
