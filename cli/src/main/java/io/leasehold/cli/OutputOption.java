package io.leasehold.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --output table|json}: aligned columns for people, the protocol's JSON for scripts. */
final class OutputOption {

    enum Format { table, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (aligned columns, the default) or json (the daemon's answer, one line).")
    Format format = Format.table;

    boolean json() {
        return format == Format.json;
    }

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(ControlClient.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
