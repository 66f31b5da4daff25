package io.leasehold.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.wire.IpAddresses;

import java.net.InetAddress;

/** Reading a request's arguments; every problem is a {@link ControlException} naming the argument. */
final class Requests {

    private Requests() {
    }

    static String optionalText(JsonNode args, String name) {
        JsonNode v = args == null ? null : args.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ControlException.badRequest(name + ": " + v.getNodeType().name().toLowerCase() + " (expected: a string)");
        }
        return v.asText();
    }

    static String text(JsonNode args, String name) {
        String v = optionalText(args, name);
        if (v == null || v.isEmpty()) {
            throw ControlException.badRequest("missing argument: " + name);
        }
        return v;
    }

    static boolean flag(JsonNode args, String name) {
        JsonNode v = args == null ? null : args.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ControlException.badRequest(name + ": expected true or false");
        }
        return v.asBoolean();
    }

    static long mac(String text) {
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw ControlException.badRequest(e.getMessage());
        }
    }

    static InetAddress address(String text) {
        try {
            return IpAddresses.parse(text);
        } catch (IllegalArgumentException e) {
            throw ControlException.badRequest("malformed IP address '" + text + "' (expected: an IPv4 or IPv6 literal)");
        }
    }
}
