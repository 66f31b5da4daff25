package io.leasehold.v6;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.leasehold.wire.MalformedPacketException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Coverage-guided fuzzing of the DHCPv6 decoder with Jazzer. In a normal build ({@code mvn test})
 * the fuzz test replays its corpus, {@code src/test/resources/io/leasehold/v6/Dhcp6MessageFuzzTestInputs/decode/},
 * as regression tests; {@code JAZZER_FUZZ=1 mvn test -Dtest=Dhcp6MessageFuzzTest} fuzzes and adds
 * what it finds.
 *
 * <p>The seeds, each named for what it holds:
 * <ul>
 *   <li>{@code capture-*}: DHCPv6 payloads of the shared client captures, one per client and message
 *       type (Solicit with rapid commit and FQDN, Request, Confirm, Renew, Release,
 *       Information-request, dnsmasq's Advertise and Reply, NoAddrsAvail).</li>
 *   <li>{@code relay-*}: RELAY-FORW chains 1, 32 (the hop limit) and 33 deep, one 100 deep, a relay
 *       without a Relay Message option and one with two, a hop count of 33, a relayed message cut
 *       short, and a relay with Interface-Id and Client Link-Layer Address.</li>
 *   <li>{@code ia-*}: IA_NA, IA_PD and IAADDR whose nested lengths lie, whose nested Status Code is
 *       not UTF-8, whose fixed part is short, a prefix length of 129.</li>
 *   <li>{@code duid-*}: client identifiers of 0, 1, 128, 130, 131, 255 and 300 bytes (valid DUIDs
 *       are 3..130, RFC 8415 §11.1).</li>
 *   <li>{@code option-*}, {@code value-*}: an outer length past the message, a header cut short,
 *       and option values that lie inside (compression pointers, unknown NTP sub-options,
 *       vendor class items past their option).</li>
 * </ul>
 */
class Dhcp6MessageFuzzTest {

    static {
        Dhcp6Fixtures.registerGenerators();
    }

    /**
     * Any bytes either decode or throw {@link MalformedPacketException}, nothing else, without
     * recursing past the hop limit; what decodes re-encodes to exactly the input, through the
     * writer as raw options and option by option through the typed codecs.
     */
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        Dhcp6RelayChain chain = new Dhcp6RelayChain();
        try {
            chain.reset(Unpooled.wrappedBuffer(input));
        } catch (MalformedPacketException expected) {
            return;
        }
        String where = ByteBufUtil.hexDump(input);
        assertArrayEquals(input, Dhcp6Fixtures.reencode(chain), where);
        for (int level = 0; level <= chain.depth(); level++) {
            Dhcp6Message m = level < chain.depth() ? chain.relay(level) : chain.message();
            Dhcp6Fixtures.assertTypedRoundTrip(m, where);
            m.label();
            m.clientIdMac();
            m.linkLayerMac();
            for (int i = 0; i < m.optionCount(); i++) {
                m.iaid(i);
                m.t1(i);
                m.t2(i);
            }
        }
    }
}
