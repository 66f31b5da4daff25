package io.leasehold.attach;

import java.net.InetAddress;

/** An address of an interface with its prefix length, as rtnetlink reports it. */
record InterfaceAddress(InetAddress address, int prefixLength) {
}
