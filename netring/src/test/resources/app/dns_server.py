# A small DNS responder on UDP and TCP port 53: names under "cdn." get a CNAME to "edge.cdn."
# and two A records, AAAA questions get two AAAA records, all names compressed.
# Usage: dns_server.py ADDRESS
import socket, struct, sys, threading

def name(n):
    return b''.join(bytes([len(p)]) + p.encode() for p in n.split('.') if p) + b'\0'

def answer(query):
    qid, flags, qd = struct.unpack('>HHH', query[:6])
    end = 12
    while query[end] != 0:
        end += query[end] + 1
    qname = query[12:end + 1]
    qtype = struct.unpack('>H', query[end + 1:end + 3])[0]
    labels, i = [], 0
    while qname[i]:
        labels.append(qname[i + 1:i + 1 + qname[i]].decode())
        i += qname[i] + 1
    text = '.'.join(labels)
    records = []
    if qtype == 28:
        for last in (1, 2):
            records.append(b'\xc0\x0c' + struct.pack('>HHIH', 28, 1, 60, 16) + bytes.fromhex('20010db8000000000000000000000a0%d' % last))
    else:
        owner = b'\xc0\x0c'
        if text.startswith('cdn.'):
            target = b'\x04edge' + b'\xc0\x0c'
            records.append(b'\xc0\x0c' + struct.pack('>HHIH', 5, 1, 60, len(target)) + target)
            owner = bytes([0xc0, 12 + len(qname) + 4 + 12])
        for last in (7, 8):
            records.append(owner + struct.pack('>HHIH', 1, 1, 60, 4) + bytes([10, 77, 1, last]))
    header = struct.pack('>HHHHHH', qid, 0x8180, 1, len(records), 0, 0)
    return header + query[12:end + 5] + b''.join(records)

def udp(address):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((address, 53))
    s.settimeout(30)
    while True:
        try:
            q, peer = s.recvfrom(4096)
        except socket.timeout:
            return
        s.sendto(answer(q), peer)

def tcp_conn(c):
    buf = b''
    while True:
        d = c.recv(4096)
        if not d:
            break
        buf += d
        while len(buf) >= 2 and len(buf) >= 2 + struct.unpack('>H', buf[:2])[0]:
            n = struct.unpack('>H', buf[:2])[0]
            r = answer(buf[2:2 + n])
            buf = buf[2 + n:]
            msg = struct.pack('>H', len(r)) + r
            c.sendall(msg[:5])
            c.sendall(msg[5:])
    c.close()

threading.Thread(target=udp, args=(sys.argv[1],), daemon=True).start()
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind((sys.argv[1], 53))
t.listen()
t.settimeout(30)
while True:
    try:
        conn, _ = t.accept()
    except socket.timeout:
        break
    threading.Thread(target=tcp_conn, args=(conn,), daemon=True).start()
