# Server side of the real-traffic corpus (io.netring.testing.RealTrafficCorpus), python3 stdlib only:
# HTTP/1.1 with keep-alive, POST and a chunked response; a framing server for what http.server
# does not send (chunk extensions and trailers, 204, 304 with a length, 100 Continue, HEAD, a body
# that runs until the server closes); a DNS responder over UDP and TCP with A, AAAA, CNAME and
# compressed names; a UDP sink for big datagrams. Prints "ready" once every socket listens; ends
# when its standard input ends.
import http.server, socket, socketserver, struct, sys, threading

V4, V6 = sys.argv[1], sys.argv[2]
HTTP_PORT, FRAMING_PORT, DNS_PORT, SINK_PORT = 8080, 8081, 53, 9999


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/chunked"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(4):
                part = ("chunk %d " % i).encode() * (50 * (i + 1))
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        size = int(self.path.rsplit("/", 1)[-1]) if self.path.rsplit("/", 1)[-1].isdigit() else 100
        body = bytes((i * 7) % 251 for i in range(size))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        reply = b"got %d bytes\n" % len(body)
        self.send_response(201)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


class Http6(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


class Framing(socketserver.BaseRequestHandler):
    """Answers each request head as its path asks, with raw bytes (each sendall one segment or more)."""

    def handle(self):
        c, buf = self.request, b""
        while True:
            d = c.recv(65536)
            if not d:
                return
            buf += d
            while b"\r\n\r\n" in buf:
                head, buf = buf.split(b"\r\n\r\n", 1)
                method, path = head.split(b" ")[0:2]
                if b"content-length: 4" in head.lower():
                    while len(buf) < 4:
                        buf += c.recv(65536)
                    buf = buf[4:]
                if path == b"/chunked":
                    c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                    c.sendall(b"5\r\nhello\r\n6;x=1\r\n world\r\n")
                    c.sendall(b"0\r\nX-T: 1\r\n\r\n")
                elif path == b"/nocontent":
                    c.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
                elif path == b"/notmod":
                    c.sendall(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n")
                elif path == b"/cont":
                    c.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                    c.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
                elif path == b"/close":
                    # neither a length nor chunks: the body ends when the server closes
                    c.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until ")
                    c.sendall(b"the close\n" * 200)
                    c.shutdown(socket.SHUT_WR)
                    return
                elif method == b"HEAD":
                    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n")
                else:
                    c.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 3000\r\n\r\n")
                    c.sendall(b"x" * 1000)
                    c.sendall(b"y" * 2000)


def name(text):
    return b"".join(bytes([len(p)]) + p.encode() for p in text.split(".")) + b"\0"


def answer(query):
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    at, labels = 12, []
    while query[at]:
        labels.append(query[at + 1:at + 1 + query[at]].decode())
        at += 1 + query[at]
    qtype = struct.unpack("!H", query[at + 1:at + 3])[0]
    question = query[12:at + 5]
    qname = ".".join(labels).lower()
    rrs = []
    # Pointers: 0xC00C is the question's name; "corpus.test" starts at 12 + 1 + len(first label).
    suffix = 0xC000 | (12 + 1 + len(labels[0])) if labels else 0xC00C
    if qname in ("www.corpus.test", "cdn.corpus.test"):
        target_at = 12 + len(question) + 12           # the CNAME's rdata, after name ptr + fixed fields
        cname = b"\x03web" + struct.pack("!H", suffix)
        rrs.append(struct.pack("!HHHIH", 0xC00C, 5, 1, 300, len(cname)) + cname)
        if qtype == 1:
            for last in (80, 81):
                rrs.append(struct.pack("!HHHIH", 0xC000 | target_at, 1, 1, 60, 4) + bytes([10, 23, 0, last]))
        elif qtype == 28:
            rrs.append(struct.pack("!HHHIH", 0xC000 | target_at, 28, 1, 60, 16)
                       + socket.inet_pton(socket.AF_INET6, "fd23::80"))
    elif qname == "host.corpus.test" and qtype in (1, 28):
        data = bytes([10, 23, 0, 9]) if qtype == 1 else socket.inet_pton(socket.AF_INET6, "fd23::9")
        rrs.append(struct.pack("!HHHIH", 0xC00C, qtype, 1, 60, len(data)) + data)
    elif qname == "big.corpus.test" and qtype == 1:
        for i in range(40):                            # over 512 bytes: the client asks again over TCP
            rrs.append(struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + bytes([10, 23, 1, i]))
    rcode = 0 if rrs or qname.endswith("corpus.test") else 3
    header = struct.pack("!HHHHHH", qid, 0x8400 | (flags & 0x0100) | rcode, 1, len(rrs), 0, 0)
    return header + question + b"".join(rrs)


class DnsUdp(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(answer(data), self.client_address)


class DnsTcp(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            query = self.rfile.read(struct.unpack("!H", head)[0])
            reply = answer(query)
            self.wfile.write(struct.pack("!H", len(reply)) + reply)


def udp(family, host, port, handler):
    cls = type("S", (socketserver.ThreadingUDPServer,), {"address_family": family, "allow_reuse_address": True})
    return cls((host, port), handler)


def tcp(family, host, port, handler):
    cls = type("S", (socketserver.ThreadingTCPServer,), {"address_family": family, "allow_reuse_address": True,
                                                         "daemon_threads": True})
    return cls((host, port), handler)


class Sink(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(b"ok %d" % len(data), self.client_address)


servers = [http.server.ThreadingHTTPServer((V4, HTTP_PORT), Handler), Http6((V6, HTTP_PORT), Handler),
           udp(socket.AF_INET, V4, DNS_PORT, DnsUdp), udp(socket.AF_INET6, V6, DNS_PORT, DnsUdp),
           tcp(socket.AF_INET, V4, DNS_PORT, DnsTcp), tcp(socket.AF_INET, V4, FRAMING_PORT, Framing),
           udp(socket.AF_INET, V4, SINK_PORT, Sink), udp(socket.AF_INET6, V6, SINK_PORT, Sink)]
for s in servers:
    s.daemon_threads = True
    threading.Thread(target=s.serve_forever, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
