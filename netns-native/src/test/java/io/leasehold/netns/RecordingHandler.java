package io.leasehold.netns;

import java.util.ArrayList;
import java.util.List;

/** Records every parser callback as a line, in order, plus the typed events. */
final class RecordingHandler implements Rtnetlink.Handler {

    final List<String> calls = new ArrayList<>();
    final List<LinkEvent> links = new ArrayList<>();
    final List<AddressEvent> addresses = new ArrayList<>();
    final List<String> malformed = new ArrayList<>();

    @Override
    public synchronized void link(LinkEvent event) {
        links.add(event);
        calls.add("link " + event.change() + " " + event.ifindex() + " " + event.name());
    }

    @Override
    public synchronized void address(AddressEvent event) {
        addresses.add(event);
        calls.add("address " + event.change() + " " + event.ifindex() + " " + event.address().getHostAddress()
                + "/" + event.prefixLength());
    }

    @Override
    public synchronized void done(int seq) {
        calls.add("done " + seq);
    }

    @Override
    public synchronized void error(int seq, int errno) {
        calls.add("error " + seq + " " + errno);
    }

    @Override
    public synchronized void dumpInterrupted(int seq) {
        calls.add("interrupted " + seq);
    }

    @Override
    public synchronized void malformed(String reason) {
        malformed.add(reason);
        calls.add("malformed");
    }
}
