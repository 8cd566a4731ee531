# HTTP/1.1 server for framing cases python's http.server does not produce: chunked bodies,
# 204, 304 with a length, 100 Continue, HEAD. Usage: http_framing_server.py ADDRESS PORT
import socket, sys, threading

def handle(c):
    buf = b''
    while True:
        d = c.recv(65536)
        if not d:
            break
        buf += d
        while b'\r\n\r\n' in buf:
            head, buf = buf.split(b'\r\n\r\n', 1)
            method, path = head.split(b' ')[0:2]
            if b'content-length: 4' in head.lower():
                while len(buf) < 4:
                    buf += c.recv(65536)
                buf = buf[4:]
            if path == b'/chunked':
                c.sendall(b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')
                c.sendall(b'5\r\nhello\r\n6;x=1\r\n world\r\n')
                c.sendall(b'0\r\nX-T: 1\r\n\r\n')
            elif path == b'/nocontent':
                c.sendall(b'HTTP/1.1 204 No Content\r\n\r\n')
            elif path == b'/notmod':
                c.sendall(b'HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n')
            elif path == b'/cont':
                c.sendall(b'HTTP/1.1 100 Continue\r\n\r\n')
                c.sendall(b'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok')
            elif method == b'HEAD':
                c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n')
            else:
                c.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Length: 3000\r\n\r\n')
                c.sendall(b'x' * 1000)
                c.sendall(b'y' * 2000)
    c.close()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen()
s.settimeout(30)
while True:
    try:
        conn, _ = s.accept()
    except socket.timeout:
        break
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
