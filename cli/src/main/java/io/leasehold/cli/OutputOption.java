package io.leasehold.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.control.ControlProtocol;

import java.io.IOException;
import java.io.StringWriter;
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

    /** The value at the parser, as one line of JSON. */
    static String copy(JsonParser p) throws IOException {
        StringWriter s = new StringWriter();
        try (JsonGenerator g = ControlProtocol.RESPONSES.createGenerator(s)) {
            g.copyCurrentStructure(p);
        }
        return s.toString();
    }

    static void printJson(PrintWriter out, JsonNode node) {
        out.println(Json.write(node));
    }
}
