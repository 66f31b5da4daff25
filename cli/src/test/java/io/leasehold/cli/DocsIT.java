package io.leasehold.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the build's package phase produced: a completion script and a man page for every command. */
class DocsIT {

    private static List<String> names(CommandLine c, String prefix, List<String> out) {
        String name = prefix.isEmpty() ? c.getCommandName() : prefix + "-" + c.getCommandName();
        out.add(name);
        c.getSubcommands().values().forEach(s -> names(s, name, out));
        return out;
    }

    @Test
    void completionKnowsEveryCommandAndOption() throws Exception {
        String script = Files.readString(Path.of("target/completion/leasehold.bash"));
        for (String n : names(Main.commandLine(), "", new ArrayList<>())) {
            assertTrue(script.contains("function _picocli_" + n.replace("-", "_")) || n.equals("leasehold"), n);
        }
        assertTrue(script.contains("--lease-file"), "options are completed too");
        // The script loads in bash and registers itself.
        Process p = new ProcessBuilder("bash", "-c", "source target/completion/leasehold.bash && complete -p leasehold")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("leasehold"), out);
    }

    @Test
    void everyCommandHasAManPage() throws Exception {
        List<String> names = names(Main.commandLine(), "", new ArrayList<>());
        for (String n : names) {
            assertTrue(Files.exists(Path.of("target/man/adoc/" + n + ".adoc")), n + ".adoc");
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/asciidoctor")),
                "troff man pages not checked: asciidoctor is not installed (./run-tests installs it)");
        for (String n : names) {
            String page = Files.readString(Path.of("target/man/man1/" + n + ".1"));
            assertTrue(page.startsWith("'\\\" t") || page.contains(".TH"), n + ".1 is troff");
        }
        assertTrue(Files.readString(Path.of("target/man/man1/leasehold.1")).contains("no daemon listens on the control socket"),
                "the exit codes are in the main page");
    }
}
