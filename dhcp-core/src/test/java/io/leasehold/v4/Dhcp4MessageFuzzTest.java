package io.leasehold.v4;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the DHCPv4 decoder. In a normal build Jazzer replays the regression
 * corpus under {@code src/test/resources/io/leasehold/v4/Dhcp4MessageFuzzTestInputs/decode/}; with
 * {@code JAZZER_FUZZ=1} it searches for new inputs and adds crashing ones there.
 *
 * <p>The property: any bytes decode or throw {@link io.leasehold.wire.MalformedPacketException};
 * every option of a readable message decodes with its definition or fails with that exception; and
 * the message's options re-encode to the same values ({@link Dhcp4MessagePropertyTest#exercise}).
 */
class Dhcp4MessageFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] bytes) {
        Dhcp4MessagePropertyTest.exercise(bytes);
    }
}
