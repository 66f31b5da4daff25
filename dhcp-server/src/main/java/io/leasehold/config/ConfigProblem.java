package io.leasehold.config;

import java.util.Objects;

/**
 * One problem of a configuration file: where (a path such as {@code networks[0].subnets[1].cidr})
 * and what is wrong, in the argument-error form {@code "'10.0.0.1/24' has host bits set (expected:
 * 10.0.0.0/24)"}. Problems are collected and reported together (kea {@code simple_parser4.cc}).
 *
 * @param path    the dotted path of the offending value, {@code [i]} for list elements
 * @param message what is wrong, naming the offending text
 */
public record ConfigProblem(String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
