#!/usr/bin/env python3
"""A small web site for the tunnel tests: files from a directory, and
/headers, which answers with the request's headers as it saw them (one
"Name: value" per line), so that a test can see what the proxies and
tunnels let through.

    httpsite.py ADDRESS PORT DIRECTORY
"""
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    server_version = "TestSite/1.0"
    sys_version = ""

    def do_GET(self):
        if self.path == "/headers":
            body = "".join("%s: %s\n" % (k, v)
                           for k, v in self.headers.items()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Powered-By", "testsite")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def main():
    addr, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]

    def handler(*a, **kw):
        return Handler(*a, directory=root, **kw)
    http.server.ThreadingHTTPServer((addr, port), handler).serve_forever()


if __name__ == "__main__":
    main()
