# Talks to http_framing_server.py: pipelined requests in one segment, a head split over three
# segments, a request with a body. Usage: http_framing_client.py ADDRESS PORT
import socket, sys, time

c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
def pause():
    time.sleep(0.15)
c.sendall(b'GET /chunked HTTP/1.1\r\nHost: h1\r\nUser-Agent: framing/1\r\n\r\nGET /nocontent HTTP/1.1\r\nHost: h2\r\n\r\n')
pause()
c.sendall(b'GET /notmod HTTP/1.1\r\nHost: h3\r\n\r\n')
pause()
c.sendall(b'POST /cont HTTP/1.1\r\nHost: h4\r\nContent-Length: 4\r\n\r\n')
pause()
c.sendall(b'abcd')
pause()
c.sendall(b'GET /split HTTP/1.1\r\nHo')
pause()
c.sendall(b'st: h5\r\n\r')
pause()
c.sendall(b'\n')
pause()
c.sendall(b'HEAD /head HTTP/1.1\r\nHost: h6\r\n\r\n')
pause()
c.close()
