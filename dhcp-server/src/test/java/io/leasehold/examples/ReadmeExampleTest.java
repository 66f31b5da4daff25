package io.leasehold.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's embedding example is the compiled {@link EmbeddingExample}, line for line. */
class ReadmeExampleTest {

    @Test
    void theReadmeShowsTheCompiledExample() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/leasehold/examples/EmbeddingExample.java"));
        int begin = source.indexOf("        // README:begin");
        int end = source.indexOf("        // README:end");
        assertTrue(begin > 0 && end > begin, "markers in EmbeddingExample.java");
        String snippet = source.subList(begin + 1, end).stream()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains(snippet), "README.md must contain, verbatim, the example of EmbeddingExample.java:\n"
                + snippet);
    }
}
