# Asks dns_server.py over UDP (one query per datagram) and TCP (two queries in one segment,
# then one split in two). Usage: dns_client.py ADDRESS
import socket, struct, sys, time

def query(qid, n, qtype):
    q = struct.pack('>HHHHHH', qid, 0x0100, 1, 0, 0, 0)
    q += b''.join(bytes([len(p)]) + p.encode() for p in n.split('.')) + b'\0'
    return q + struct.pack('>HH', qtype, 1)

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
for i, (n, t) in enumerate([('www.example.test', 1), ('cdn.example.test', 1), ('v6.example.test', 28)]):
    u.sendto(query(100 + i, n, t), (sys.argv[1], 53))
    u.recvfrom(4096)
c = socket.create_connection((sys.argv[1], 53))
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
a, b = query(200, 'cdn.tcp.test', 1), query(201, 'v6.tcp.test', 28)
c.sendall(struct.pack('>H', len(a)) + a + struct.pack('>H', len(b)) + b)
time.sleep(0.3)
d = query(202, 'split.tcp.test', 1)
m = struct.pack('>H', len(d)) + d
c.sendall(m[:7])
time.sleep(0.15)
c.sendall(m[7:])
time.sleep(0.3)
c.close()
