# Client side of the real-traffic corpus (io.netring.testing.RealTrafficCorpus), python3 stdlib
# only: HTTP framing cases (pipelined requests in one segment, a head split over three segments,
# a request body, HEAD, a response that runs until the server closes), DNS queries over UDP
# (IPv4 and IPv6) and TCP (two in one segment, one split in two), UDP datagrams and ICMP echoes
# larger than the MTU, so the kernel fragments them (IPv4 and IPv6). Every wait is bounded.
import socket, struct, sys, time

V4, V6 = sys.argv[1], sys.argv[2]
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT = 23, 0


def query(qid, qname, qtype):
    q = b"".join(bytes([len(p)]) + p.encode() for p in qname.split(".")) + b"\0"
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", qtype, 1)


def udp_exchange(family, host, port, payload, dont_fragment_off=True):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(2)
    if dont_fragment_off:
        if family == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT)
    try:
        s.sendto(payload, (host, port))
        s.recvfrom(65535)
    except socket.timeout:
        print("no answer from %s:%d" % (host, port), file=sys.stderr)
    finally:
        s.close()


def dns_tcp(host, queries):
    s = socket.create_connection((host, 53), timeout=2)
    for q in queries:
        s.sendall(struct.pack("!H", len(q)) + q)
        need = struct.unpack("!H", recv_exactly(s, 2))[0]
        recv_exactly(s, need)
    s.close()


def dns_tcp_framing(host):
    """Two queries in one segment, then one split in two segments."""
    s = socket.create_connection((host, 53), timeout=2)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    a, b = query(0x3101, "host.corpus.test", 1), query(0x3102, "cdn.corpus.test", 28)
    s.sendall(struct.pack("!H", len(a)) + a + struct.pack("!H", len(b)) + b)
    for _ in range(2):
        recv_exactly(s, struct.unpack("!H", recv_exactly(s, 2))[0])
    m = query(0x3103, "www.corpus.test", 1)
    m = struct.pack("!H", len(m)) + m
    s.sendall(m[:7])
    time.sleep(0.1)
    s.sendall(m[7:])
    recv_exactly(s, struct.unpack("!H", recv_exactly(s, 2))[0])
    s.close()


def http_framing(host, port):
    """Requests whose framing curl does not make; each sendall waits for the answers before it."""
    c = socket.create_connection((host, port), timeout=2)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for part in (b"GET /chunked HTTP/1.1\r\nHost: h1\r\nUser-Agent: framing/1\r\n\r\n"
                 b"GET /nocontent HTTP/1.1\r\nHost: h2\r\n\r\n",
                 b"GET /notmod HTTP/1.1\r\nHost: h3\r\n\r\n",
                 b"POST /cont HTTP/1.1\r\nHost: h4\r\nContent-Length: 4\r\n\r\n", b"abcd",
                 b"GET /split HTTP/1.1\r\nHo", b"st: h5\r\n\r", b"\n",
                 b"HEAD /head HTTP/1.1\r\nHost: h6\r\n\r\n"):
        c.sendall(part)
        time.sleep(0.1)
    c.close()
    c = socket.create_connection((host, port), timeout=2)
    c.sendall(b"GET /close HTTP/1.1\r\nHost: h7\r\n\r\n")
    while c.recv(65536):
        pass
    c.close()


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        part = s.recv(n - len(data))
        if not part:
            raise EOFError("connection closed")
        data += part
    return data


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ping(family, host, seq, size):
    data = bytes(i % 256 for i in range(size))
    if family == socket.AF_INET:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
        head = struct.pack("!BBHHH", 8, 0, 0, 0x2323, seq)
        head = struct.pack("!BBHHH", 8, 0, checksum(head + data), 0x2323, seq)
    else:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)   # the kernel sums ICMPv6
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT)
        head = struct.pack("!BBHHH", 128, 0, 0, 0x2323, seq)
    s.settimeout(2)
    s.sendto(head + data, (host, 0))
    try:
        while True:                                    # a raw socket also sees our own request on some paths
            reply = s.recv(65535)
            kind = reply[(reply[0] & 0x0F) * 4] if family == socket.AF_INET else reply[0]
            if kind in (0, 129):
                break
    except socket.timeout:
        print("no echo reply from %s" % host, file=sys.stderr)
    s.close()


http_framing(V4, 8081)
qid = 0x1000
for name, qtype in (("www.corpus.test", 1), ("www.corpus.test", 28), ("host.corpus.test", 1), ("nope.corpus.test", 1)):
    qid += 1
    udp_exchange(socket.AF_INET, V4, 53, query(qid, name, qtype))
udp_exchange(socket.AF_INET6, V6, 53, query(0x2001, "cdn.corpus.test", 28))
udp_exchange(socket.AF_INET6, V6, 53, query(0x2002, "host.corpus.test", 28))
dns_tcp(V4, [query(0x3001, "www.corpus.test", 1), query(0x3002, "big.corpus.test", 1)])
dns_tcp_framing(V4)
for size in (2000, 4000, 9000):
    udp_exchange(socket.AF_INET, V4, 9999, bytes((size + i) % 256 for i in range(size)))
    udp_exchange(socket.AF_INET6, V6, 9999, bytes((size + i) % 256 for i in range(size)))
for seq, size in ((1, 3000), (2, 1600)):
    ping(socket.AF_INET, V4, seq, size)
    ping(socket.AF_INET6, V6, seq, size)
print("done", flush=True)
