#!/usr/bin/env python3
"""Small pages through an HTTP proxy, for tests/bench/http_net.sh.

CLIENTS threads each fetch URL through PROXY again and again for
SECONDS, one new connection to the proxy per request with
"Connection: close" (as curl -x does, and as both i2pd's proxy and ours
take them: one I2P stream per request).  A request counts when the
status is 200 and the body's SHA-256 is SHA256; anything else (another
status, a short or different body, a timeout, a refused connection) is
a failure (an error page's text is kept with its status).  The rate is
the pages that came whole within SECONDS, over SECONDS; requests under
way at the end are waited for, and count in "ok" and the latencies
(not in the rate); "max_ms" shows the slowest.  Prints one JSON line:

    {"ok": N, "failed": N, "rate": pages/s, "p50_ms": .., "p90_ms": ..,
     "max_ms": .., "errors": {"reason": count, ...}}

    httpload.py PROXY_HOST:PORT URL SHA256 [CLIENTS] [SECONDS]
"""
import hashlib
import json
import re
import socket
import sys
import threading
import time
import urllib.parse

TIMEOUT = 60


def read_response(s):
    """Status and body of a response: up to Content-Length when the
    proxy says it, else to the close."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(65536)
        if not d:
            raise EOFError("closed before the headers ended")
        buf += d
        if len(buf) > 65536:
            raise ValueError("headers too long")
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    length = None
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length" and v.strip().isdigit():
            length = int(v.strip())
    while length is None or len(body) < length:
        d = s.recv(65536)
        if not d:
            break
        body += d
    return status, body


def page_text(body):
    """An error page's words, short"""
    t = re.sub(rb"<(head|style)[^>]*>.*?</\1>", b" ", body, flags=re.S)
    t = re.sub(rb"<[^>]*>", b" ", t)
    return b" ".join(t.split()).decode("latin-1")[:160]


def fetch(proxy, url, host):
    req = ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: httpload\r\n"
           "Connection: close\r\n\r\n" % (url, host)).encode()
    with socket.create_connection(proxy, timeout=TIMEOUT) as s:
        s.sendall(req)
        return read_response(s)


def main():
    phost, _, pport = sys.argv[1].rpartition(":")
    proxy = (phost, int(pport))
    url, want = sys.argv[2], sys.argv[3]
    clients = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 20
    host = urllib.parse.urlsplit(url).netloc
    lock = threading.Lock()
    times, errors = [], {}
    start = time.monotonic()
    end = start + seconds
    inside = [0]

    def client():
        while time.monotonic() < end:
            t0 = time.monotonic()
            try:
                status, body = fetch(proxy, url, host)
                if status != 200:
                    why = "status %d: %s" % (status, page_text(body))
                elif hashlib.sha256(body).hexdigest() != want:
                    why = "body differs (%d bytes)" % len(body)
                else:
                    why = None
            except (OSError, EOFError, ValueError) as e:
                why = ("%s: %s" % (type(e).__name__, e))[:160]
            t1 = time.monotonic()
            with lock:
                if why is None:
                    times.append(t1 - t0)
                    inside[0] += t1 <= end
                else:
                    errors[why] = errors.get(why, 0) + 1
            # a failure that came at once must not spin
            if why is not None and t1 - t0 < 0.1:
                time.sleep(0.1)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()

    def pct(p):
        if not times:
            return None
        return round(1000 * times[min(len(times) - 1,
                                      int(p * len(times)))], 1)
    print(json.dumps({
        "ok": len(times), "failed": sum(errors.values()),
        "rate": round(inside[0] / seconds, 2),
        "p50_ms": pct(0.5), "p90_ms": pct(0.9), "max_ms": pct(1.0),
        "errors": errors}))


if __name__ == "__main__":
    main()
