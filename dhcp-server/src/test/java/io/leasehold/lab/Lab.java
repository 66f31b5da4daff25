package io.leasehold.lab;

import io.leasehold.demo.Sandbox;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The tests' view of a {@link Sandbox}: the same throwaway namespaces, plus skipping (with the
 * reason) where they cannot be made. CI runs as root, so there these tests run.
 */
public final class Lab implements AutoCloseable {

    /** A finished command. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        public Result orThrow(String what) throws IOException {
            if (exit != 0) {
                throw new IOException(what + " failed: " + this);
            }
            return this;
        }

        static Result of(Sandbox.Result r) {
            return new Result(r.exit(), r.out(), r.err());
        }

        @Override
        public String toString() {
            return new Sandbox.Result(exit, out, err).toString();
        }
    }

    private final Sandbox sandbox;

    private Lab(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** A new lab, or a skipped test when this process cannot create namespaces (not root, no ip). */
    public static Lab create() throws IOException {
        assumeAvailable();
        return new Lab(Sandbox.create("lh"));
    }

    public static void assumeAvailable() {
        Assumptions.assumeTrue(Sandbox.isRoot(), "namespace tests skipped: not running as root (they need root for ip netns add)");
        Assumptions.assumeTrue(Sandbox.hasCommand("ip"), "namespace tests skipped: no ip command (apt-get install iproute2)");
    }

    /** Skips the calling test when a client program is not installed, naming the package. */
    public static void assumeCommand(String command, String debianPackage) {
        Assumptions.assumeTrue(Sandbox.hasCommand(command), command + " is not installed (apt-get install " + debianPackage + ")");
    }

    public String prefix() {
        return sandbox.prefix();
    }

    public Path dir() {
        return sandbox.dir();
    }

    public String namespace(String role) throws IOException, InterruptedException {
        return sandbox.namespace(role);
    }

    public void deleteNamespace(String name) throws IOException, InterruptedException {
        sandbox.deleteNamespace(name);
    }

    public void veth(String nsA, String a, String macA, String nsB, String b, String macB)
            throws IOException, InterruptedException {
        sandbox.veth(nsA, a, macA, nsB, b, macB);
    }

    public void address(String ns, String ifname, String cidr) throws IOException, InterruptedException {
        sandbox.address(ns, ifname, cidr);
    }

    public void awaitLinkLocal(String ns, String ifname) throws IOException, InterruptedException {
        sandbox.awaitLinkLocal(ns, ifname);
    }

    public Path resolvConf(String ns) throws IOException {
        return sandbox.resolvConf(ns);
    }

    public Result exec(String ns, Duration timeout, String... command) throws IOException, InterruptedException {
        return Result.of(sandbox.exec(ns, timeout, command));
    }

    public Process spawn(String ns, Path log, String... command) throws IOException {
        return sandbox.spawn(ns, log, command);
    }

    public void signal(Process p, String signal) throws IOException, InterruptedException {
        sandbox.signal(p, signal);
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return Result.of(Sandbox.run(command));
    }

    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return Sandbox.await(timeout, condition);
    }

    @Override
    public void close() {
        sandbox.close();
    }

}
