package io.leasehold.dnsmasq;

import java.util.Objects;

/**
 * One rejected line of a dnsmasq input: the file (or {@code argv}), the line (or argument) number
 * counted from 1, and what is wrong. dnsmasq logs the same as {@code "<what> at line N of FILE"} and
 * skips the line (option.c {@code read_file}); its string form here is {@code FILE:N: what}, the form
 * compilers use, so an operator's editor can jump to it.
 *
 * @param file    the file's path as given, or {@code argv}
 * @param line    the line number, or the argument index for {@code argv}, from 1
 * @param message what is wrong, naming the offending text
 */
public record LineError(String file, int line, String message) {

    public LineError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 1) {
            throw new IllegalArgumentException("line: " + line + " (expected: >= 1)");
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
