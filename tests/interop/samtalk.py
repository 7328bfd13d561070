#!/usr/bin/env python3
"""Says lines to a SAM bridge on one connection, one at a time, and
prints the reply line to each (or TIMEOUT and stops).

    samtalk.py PORT SECONDS LINE...
"""
import socket
import sys


def main():
    port, secs, lines = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    s = socket.create_connection(("127.0.0.1", port), timeout=secs)
    f = s.makefile("rb")
    for line in lines:
        s.sendall(line.encode() + b"\n")
        try:
            reply = f.readline()
        except socket.timeout:
            print("TIMEOUT")
            return
        if not reply:
            print("EOF")
            return
        print(reply.decode().rstrip("\n"))


main()
