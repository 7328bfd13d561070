#!/usr/bin/env python3
"""Two scripted IRC clients, one straight to an IRC server (alice), one
through an I2P IRC client tunnel to that server's IRC server tunnel
(bob), in one channel:

    ircchat.py ALICE_HOST:PORT BOB_HOST:PORT [seconds]

Prints one JSON line of what each side saw: the messages that must
pass, the CTCP VERSION and DCC offer that must not, bob's host name as
the server sees it (the WEBIRC line's), and bob's QUIT message as alice
saw it (the filter replaces the client's own).
"""
import json
import socket
import sys
import time

SECRET = "my-client-v1.2-on-host-fred"


class Irc:
    def __init__(self, hostport, nick, deadline):
        host, port = hostport.rsplit(":", 1)
        self.nick = nick
        self.deadline = deadline
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        self.sock.settimeout(0.2)
        self.buf = b""
        self.lines = []
        self.send("NICK %s" % nick)
        self.send("USER %s 0 * :%s test" % (nick, nick))

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def poll(self):
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            return
        except OSError:
            data = b""
        if not data:
            raise EOFError(self.nick)
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.rstrip(b"\r").decode(errors="replace")
            if line.startswith("PING "):
                self.send("PONG " + line[5:])
            self.lines.append(line)

    def wait(self, pred, others=()):
        """Reads until a line matches pred; the others are read too."""
        seen = 0
        while time.time() < self.deadline:
            for o in others:
                o.poll()
            self.poll()
            for line in self.lines[seen:]:
                if pred(line):
                    return line
            seen = len(self.lines)
        return None


def main():
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 120
    deadline = time.time() + seconds
    out = {}
    alice = Irc(sys.argv[1], "alice", deadline)
    out["alice_welcome"] = alice.wait(lambda l: " 001 " in l) is not None
    alice.send("JOIN #i2p")
    bob = Irc(sys.argv[2], "bob", deadline)
    out["bob_welcome"] = bob.wait(lambda l: " 001 " in l, [alice]) is not None
    bob.send("JOIN #i2p")
    out["bob_joined"] = alice.wait(
        lambda l: l.startswith(":bob!") and " JOIN " in l, [bob]) is not None
    alice.send("WHOIS bob")
    whois = alice.wait(lambda l: " 311 alice bob " in l, [bob])
    out["bob_host"] = whois.split()[5] if whois else None

    bob.send("PRIVMSG #i2p :hello from bob")
    out["alice_got_bob"] = alice.wait(
        lambda l: l.endswith(":hello from bob"), [bob]) is not None
    alice.send("PRIVMSG #i2p :hello from alice")
    out["bob_got_alice"] = bob.wait(
        lambda l: l.endswith(":hello from alice"), [alice]) is not None

    # bob's CTCP VERSION must not leave the tunnel; what follows must
    bob.send("PRIVMSG alice :\x01VERSION\x01")
    bob.send("PRIVMSG alice :after the ctcp")
    alice.wait(lambda l: l.endswith(":after the ctcp"), [bob])
    out["alice_got_ctcp"] = any("\x01VERSION" in l for l in alice.lines)
    out["alice_got_after_ctcp"] = any(l.endswith(":after the ctcp")
                                      for l in alice.lines)
    # alice's DCC offer and CTCP request must not reach bob
    alice.send("PRIVMSG bob :\x01DCC SEND secret.txt 2130706433 1234 10\x01")
    alice.send("PRIVMSG bob :\x01VERSION\x01")
    alice.send("PRIVMSG bob :after the dcc")
    bob.wait(lambda l: l.endswith(":after the dcc"), [alice])
    out["bob_got_dcc"] = any("DCC" in l for l in bob.lines)
    out["bob_got_ctcp"] = any("\x01VERSION" in l for l in bob.lines)
    out["bob_got_after_dcc"] = any(l.endswith(":after the dcc")
                                   for l in bob.lines)

    bob.send("QUIT :" + SECRET)
    quit_line = alice.wait(lambda l: l.startswith(":bob!") and " QUIT " in l)
    out["quit_seen"] = quit_line is not None
    out["quit_leaks"] = SECRET in (quit_line or "")
    alice.send("QUIT :bye")
    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main()
    except (EOFError, OSError) as e:
        print(json.dumps({"error": str(e)}))
