#!/usr/bin/env python3
"""A DNS client and a fake upstream for the dnsmasq-front tests (standard library only).

  dns-tool.py serve ADDR ANSWER_IP         answer every query (UDP and TCP on ADDR:53) with one A record
  dns-tool.py query SERVER NAME TYPE [tcp] [source=ADDR] [timeout=S]
      prints: rcode=N aa=0|1 ra=0|1 answers=TYPE/VALUE/TTL,...   or "timeout"
"""
import socket
import struct
import sys
import threading

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "ANY": 255}
NAMES = {v: k for k, v in TYPES.items()}


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def read_name(msg, off):
    labels, jumped, end = [], False, off
    while True:
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumped = True
            continue
        if n == 0:
            if not jumped:
                end = off + 1
            return ".".join(labels), end
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += 1 + n


def query_bytes(qid, name, qtype):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + encode_name(name) + struct.pack("!HH", qtype, 1)


def parse(msg):
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    off = 12
    for _ in range(qd):
        _, off = read_name(msg, off)
        off += 4
    answers = []
    for _ in range(an):
        _, off = read_name(msg, off)
        rtype, _, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        rdata = msg[off:off + rdlen]
        if rtype == 1:
            value = socket.inet_ntop(socket.AF_INET, rdata)
        elif rtype == 28:
            value = socket.inet_ntop(socket.AF_INET6, rdata)
        elif rtype in (2, 5, 12):
            value = read_name(msg, off)[0]
        else:
            value = rdata.hex()
        answers.append("%s/%s/%d" % (NAMES.get(rtype, rtype), value, ttl))
        off += rdlen
    return "rcode=%d aa=%d ra=%d answers=%s" % (flags & 0xF, (flags >> 10) & 1, (flags >> 7) & 1, ",".join(answers))


def do_query(args):
    server, name, qtype = args[0], args[1], TYPES[args[2]]
    tcp = "tcp" in args
    source = next((a.split("=", 1)[1] for a in args if a.startswith("source=")), None)
    timeout = float(next((a.split("=", 1)[1] for a in args if a.startswith("timeout=")), "3"))
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    q = query_bytes(0x4242, name, qtype)
    s = socket.socket(family, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
    s.settimeout(timeout)
    if source:
        s.bind((source, 0))
    try:
        if tcp:
            s.connect((server, 53))
            s.sendall(struct.pack("!H", len(q)) + q)
            n = struct.unpack("!H", recv_exact(s, 2))[0]
            msg = recv_exact(s, n)
        else:
            s.sendto(q, (server, 53))
            msg = s.recvfrom(65535)[0]
    except (socket.timeout, ConnectionError, OSError) as e:
        print("timeout" if isinstance(e, socket.timeout) else "error %s" % e)
        return
    if struct.unpack("!H", msg[:2])[0] != 0x4242:
        print("wrong id")
        return
    print(parse(msg))


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        chunk = s.recv(n - len(b))
        if not chunk:
            raise ConnectionError("closed")
        b += chunk
    return b


def answer(msg, ip):
    qid, flags = struct.unpack("!HH", msg[:4])
    _, off = read_name(msg, 12)
    question = msg[12:off + 4]
    rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(ip)
    return struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100), 1, 1, 0, 0) + question + rr


def serve(args):
    addr, ip = args[0], args[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, 53))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, 53))
    t.listen(16)

    def tcp_loop():
        while True:
            c, _ = t.accept()
            try:
                n = struct.unpack("!H", recv_exact(c, 2))[0]
                r = answer(recv_exact(c, n), ip)
                c.sendall(struct.pack("!H", len(r)) + r)
                print("tcp query", flush=True)
            except Exception as e:
                print("tcp error", e, flush=True)
            finally:
                c.close()

    threading.Thread(target=tcp_loop, daemon=True).start()
    print("serving", flush=True)
    while True:
        msg, peer = u.recvfrom(65535)
        u.sendto(answer(msg, ip), peer)
        print("udp query", flush=True)


if __name__ == "__main__":
    {"serve": serve, "query": do_query}[sys.argv[1]](sys.argv[2:])
