#!/usr/bin/env python3
"""A small forward HTTP proxy, the outproxy of the tunnel tests: behind
an i2prd server tunnel it is what I2P outproxies are, an HTTP proxy.
It takes absolute-form requests (sent on to the origin in origin-form,
one per connection) and CONNECT (200, then bytes both ways), and goes
only to the test network's addresses; a host it cannot reach gets 502,
one outside the test network 403.

    fwdproxy.py ADDRESS PORT
"""
import ipaddress
import socket
import socketserver
import sys
import threading
import urllib.parse

ALLOWED = ipaddress.ip_network("198.18.0.0/16")


def answer(conn, status, reason):
    body = ("%d %s\n" % (status, reason)).encode()
    conn.sendall(b"HTTP/1.1 %d %s\r\nContent-Length: %d\r\n"
                 b"Connection: close\r\n\r\n" % (status, reason.encode(),
                                                 len(body)) + body)


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def origin(conn, host, port):
    try:
        if ipaddress.ip_address(host) not in ALLOWED:
            answer(conn, 403, "Forbidden")
            return None
    except ValueError:
        answer(conn, 403, "Forbidden")
        return None
    try:
        return socket.create_connection((host, port), timeout=10)
    except OSError:
        answer(conn, 502, "Bad Gateway")
        return None


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            data = conn.recv(4096)
            if not data:
                return
            head += data
        head, rest = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ", 2)
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            up = origin(conn, host.strip("[]"), int(port))
            if up is None:
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            url = urllib.parse.urlsplit(target)
            if url.scheme != "http" or not url.hostname:
                answer(conn, 400, "Bad Request")
                return
            up = origin(conn, url.hostname, url.port or 80)
            if up is None:
                return
            path = url.path or "/"
            if url.query:
                path += "?" + url.query
            hdrs = [h for h in lines[1:] if not h.lower().startswith(
                ("proxy-", "connection:", "keep-alive:"))]
            up.sendall(("%s %s %s\r\n" % (method, path, version)).encode() +
                       "".join(h + "\r\n" for h in hdrs).encode("latin-1") +
                       b"Connection: close\r\n\r\n")
        if rest:
            up.sendall(rest)
        t = threading.Thread(target=pipe, args=(conn, up), daemon=True)
        t.start()
        pipe(up, conn)
        t.join(30)
        up.close()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    Server((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()


if __name__ == "__main__":
    main()
