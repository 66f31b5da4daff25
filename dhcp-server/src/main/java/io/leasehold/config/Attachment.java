package io.leasehold.config;

import java.util.Objects;

/**
 * One served interface: the namespace it lives in, its name there, and the network it serves
 * (Neutron: {@code qdhcp-<N>}, {@code tap<port id>}, {@code <N>}; neutron-compat §6.5).
 */
public record Attachment(String namespace, String iface, String network) {
    public Attachment {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(network, "network");
    }
}
