#!/usr/bin/env python3
"""The private network's demo site (etc/testnet.sh): the files of a
directory, and POST /echo, which answers the demo's forms with a page
that shows each submitted field, so that a browser's form submission can
be seen to have crossed the proxy and the tunnels.  Each request is
logged on stderr (the launcher keeps it in DIR/demo-site.log: the
interop test reads there that the picture was asked for).  Standard
library only.

    demo-site.py ADDRESS PORT DIRECTORY
"""
import functools
import html
import http.server
import sys
import urllib.parse

# a form is a few short fields: a larger body is refused unread, so a
# client cannot make the server hold more than this
MAX_FORM = 4096


class Handler(http.server.SimpleHTTPRequestHandler):
    server_version = "demo.i2p"
    sys_version = ""

    def do_POST(self):
        if self.path != "/echo":
            self.send_error(404)
            return
        try:
            n = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.send_error(411)
            return
        if n < 0 or n > MAX_FORM:
            self.send_error(413)
            return
        body = self.rfile.read(n).decode("utf-8", "replace")
        fields = urllib.parse.parse_qsl(body, keep_blank_values=True)
        self.answer(fields)

    def answer(self, fields):
        rows = "".join('<li id="%s">%s = %s</li>\n' % (
            html.escape(k), html.escape(k), html.escape(v)) for k, v in fields)
        # no favicon to fetch: one round trip less over the tunnels
        page = ("<!DOCTYPE html>\n<html><head><title>demo.i2p: form received"
                '</title>\n<link rel="icon" href="data:,"></head>\n'
                "<body>\n<h1>Form received</h1>\n"
                "<p>demo.i2p got these fields:</p>\n<ul>\n%s</ul>\n"
                '<p><a href="/">Back</a></p>\n</body></html>\n' % rows)
        data = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: demo-site.py ADDRESS PORT DIRECTORY")
    handler = functools.partial(Handler, directory=sys.argv[3])
    server = http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])),
                                             handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
