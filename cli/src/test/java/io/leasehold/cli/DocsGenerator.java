package io.leasehold.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by the build (cli/pom.xml, phase package): writes the bash/zsh completion script and the
 * man pages' AsciiDoc sources of every command, from the same picocli model the command runs.
 *
 * <pre>
 * target/completion/leasehold.bash     source it, or copy it to /etc/bash_completion.d/leasehold
 * target/man/adoc/leasehold*.adoc      one page per command (asciidoctor -b manpage makes troff)
 * </pre>
 */
public final class DocsGenerator {

    private DocsGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        CommandLine all = Main.commandLine();
        Path completion = Files.createDirectories(target.resolve("completion")).resolve("leasehold.bash");
        Files.writeString(completion, AutoComplete.bash("leasehold", all));
        Path adoc = Files.createDirectories(target.resolve("man").resolve("adoc"));
        int exit = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, all.getCommandSpec());
        if (exit != 0) {
            throw new IOException("man pages: picocli's generator exited with " + exit);
        }
    }
}
