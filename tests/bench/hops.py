#!/usr/bin/env python3
"""The hops of a destination's ready tunnels, by router name, for the
benchmarks' logs: one line, "in A>B>C, out D>E>F, ...".

    hops.py ours NAMES < "i2pctl -j show tunnels"
        every client pool's tunnels (not the exploratory ones)
    hops.py i2pd NAMES < i2pd's console page of one local destination
        (?page=local_destination&b32=...): its established tunnels;
        the console shows a hop by the first four characters of its
        hash

NAMES holds "base64-hash name" lines.  A hop no name matches is "?";
a tunnel through the same router twice is marked "(repeats)".
"""
import html
import json
import re
import sys


def names(path):
    with open(path) as f:
        return dict(line.split() for line in f if line.strip())


def show(direction, hops):
    rep = " (repeats)" if len(set(hops)) < len(hops) else ""
    return "%s %s%s" % (direction, ">".join(hops), rep)


def ours(n):
    t = json.load(sys.stdin)["tunnels"]["list"]
    return [show(x["direction"], [n.get(h["hash"], "?") for h in x["hops"]])
            for x in t
            if x["pool"] != "exploratory" and x["state"] == "ready"]


def i2pd(n):
    short = {}
    for h, name in n.items():
        short.setdefault(h[:4], []).append(name)
    page = html.unescape(sys.stdin.read())
    out, direction = [], None
    for line in re.split(r"<br>|</div>|\n", page):
        text = re.sub(r"<[^>]*>", " ", line)
        if "Inbound tunnels" in text:
            direction = "in"
        elif "Outbound tunnels" in text:
            direction = "out"
        elif "Tags" in text or "Streams" in text:
            direction = None
        if direction is None or "\u21d2" not in text or \
                "established" not in text:
            continue
        parts = [p.strip() for p in text.split("\u21d2")]
        hops = [p for p in parts if re.fullmatch(r"[A-Za-z0-9~-]{4}", p)]
        out.append(show(direction,
                        ["/".join(short.get(h, ["?"])) for h in hops]))
    return out


def main():
    n = names(sys.argv[2])
    lines = ours(n) if sys.argv[1] == "ours" else i2pd(n)
    print(", ".join(lines) or "none")


if __name__ == "__main__":
    main()
