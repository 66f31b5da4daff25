package io.leasehold.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns aligned for a terminal: a header row, then rows, each column as wide as its widest cell,
 * two spaces apart; the last column is not padded. Cells are made printable (a host name from a
 * client never reaches the terminal as control characters).
 */
final class Table {

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private boolean header = true;

    Table(String... headers) {
        this.headers = headers;
    }

    Table row(String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("cells: " + cells.length + " (expected: " + headers.length + ")");
        }
        String[] c = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            c[i] = cells[i] == null ? "-" : DecodeCommand.printable(cells[i]);
        }
        rows.add(c);
        return this;
    }

    /** Prints the rows only (key/value listings). */
    Table withoutHeader() {
        header = false;
        return this;
    }

    int size() {
        return rows.size();
    }

    void print(PrintWriter out) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length && header; i++) {
            width[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder(64 * (rows.size() + 1));
        if (header) {
            line(sb, headers, width);
        }
        for (String[] r : rows) {
            line(sb, r, width);
        }
        out.print(sb);
    }

    private static void line(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            sb.append(cells[i]);
            if (i < cells.length - 1) {
                for (int k = cells[i].length(); k < width[i] + 2; k++) {
                    sb.append(' ');
                }
            }
        }
        sb.append('\n');
    }
}
