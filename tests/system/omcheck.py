#!/usr/bin/env python3
# omcheck.py [FAMILY | SAMPLE-LINE ...] < metrics
#
# Checks "i2pctl show metrics" output strictly against the OpenMetrics
# text format as i2pctl writes it (the unit test's checker, again in
# Python for the running suite): per family "# HELP" then "# TYPE
# counter|gauge", then its samples (a counter's named FAMILY_total), no
# family or series twice, no other line, "# EOF" last.  Each argument is
# a family that must have a sample, or, with a space in it, a sample line
# that must be there as it is.  Exits 0, or 1 naming the first fault.
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r"(%s)(\{(?:%s(?:,%s)*)?\})? (\S+)$" % (NAME, LABEL, LABEL))


def check(lines):
    families, series, sampled = set(), set(), set()
    family, kind = None, None
    if not lines or lines[-1] != "# EOF":
        return "no # EOF at the end"
    for n, line in enumerate(lines[:-1], 1):
        m = re.fullmatch(r"# HELP (%s) .+" % NAME, line)
        if m:
            family = m.group(1)
            if family in families:
                return "line %d: family %s twice" % (n, family)
            families.add(family)
            kind = None
            continue
        m = re.fullmatch(r"# TYPE (%s) (counter|gauge)" % NAME, line)
        if m:
            if m.group(1) != family or kind is not None:
                return "line %d: TYPE not right after its HELP" % n
            kind = m.group(2)
            continue
        m = SAMPLE.match(line)
        if not m or kind is None:
            return "line %d: not a sample of a family: %s" % (n, line)
        want = family + ("_total" if kind == "counter" else "")
        if m.group(1) != want:
            return "line %d: %s is not %s" % (n, m.group(1), want)
        names = re.findall(r'(?:^|,)([a-zA-Z_][a-zA-Z0-9_]*)="',
                           (m.group(2) or "{}")[1:-1])
        if len(names) != len(set(names)):
            return "line %d: a label twice" % n
        try:
            float(m.group(3))
        except ValueError:
            return "line %d: value not a number" % n
        key = m.group(1) + (m.group(2) or "")
        if key in series:
            return "line %d: series %s twice" % (n, key)
        series.add(key)
        sampled.add(family)
    for want in sys.argv[1:]:
        if " " in want and want not in lines:
            return "no line %s" % want
        if " " not in want and want not in sampled:
            return "no sample of %s" % want
    return None


text = sys.stdin.read()
if not text.endswith("\n"):
    print("omcheck: no newline at the end")
    sys.exit(1)
fault = check(text[:-1].split("\n"))
if fault:
    print("omcheck: " + fault)
    sys.exit(1)
