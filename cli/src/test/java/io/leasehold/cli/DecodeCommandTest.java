package io.leasehold.cli;

import io.leasehold.testing.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodeCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsEveryOptionOfACapturedExchangeByName(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("acquire.pcap");
        try (InputStream in = Captures.resource("dhclient-v4-acquire.pcap")) {
            Files.copy(in, pcap);
        }
        Run r = run("decode", pcap.toString());
        assertEquals(ExitCodes.OK, r.code, r.err);
        assertTrue(r.out.contains("DISCOVER xid=0x0f1c8d0b chaddr=fa:16:3e:00:00:11"), r.out);
        assertTrue(r.out.contains("host-name"), r.out);
        assertTrue(r.out.contains("vm-dhclient"), r.out);
        assertTrue(r.out.contains("classless-static-route       169.254.169.254/32,10.77.0.2"), r.out);
        assertTrue(r.out.contains("ACK xid=0x0f1c8d0b"), r.out);
        assertTrue(r.out.contains("domain-search                openstacklocal,lab.example"), r.out);
    }

    @Test
    void reportsAMalformedMessageWithItsReason() {
        Run r = run("decode", "--hex", "01".repeat(100));
        assertEquals(ExitCodes.OK, r.code);
        assertTrue(r.out.contains("malformed (TOO_SHORT)"), r.out);
    }

    @Test
    void aFileThatIsNotAPcapIsOneClearLineAndAFailure(@TempDir Path dir) throws Exception {
        Path notPcap = Files.writeString(dir.resolve("x.pcap"), "hello, this is not a capture");
        Run r = run("decode", notPcap.toString());
        assertEquals(ExitCodes.FAILURE, r.code);
        assertTrue(r.err.contains("x.pcap: pcap: magic"), r.err);
    }

    @Test
    void badHexIsAUsageError() {
        Run r = run("decode", "--hex", "zz");
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("--hex"), r.err);
    }

    @Test
    void controlCharactersFromTheWireAreEscaped() {
        assertEquals("a\\x1b[2Jb\\x0a", DecodeCommand.printable("a\u001b[2Jb\n"));
    }
}
