#!/usr/bin/env python3
"""Writes readings-v1.hex from READINGS.md §1 alone (no Edge code): the readings of ReadingFixtureTests.Readings.

Run once, when the fixture was made (python3 make-readings-v1.py > readings-v1.hex). Do not re-run it to make a
failing test pass: a different output means the binary form changed, which is a format version change (README.md).
"""
import struct
from datetime import datetime

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def string(s):
    b = s.encode("utf-8")
    return bytes([len(b)]) + b

def ticks(dt, extra=0):
    d = dt - datetime(1, 1, 1)
    return (d.days * 86400 + d.seconds) * 10_000_000 + d.microseconds * 10 + extra

QUALITY = {"ok": 0, "degraded": 1, "simulated": 2}

def reading(sensor, kind, ts, values, quality, seq):
    out = bytes([0x52, 1, QUALITY[quality]]) + varint(seq) + struct.pack("<q", ts) + string(sensor) + string(kind)
    out += bytes([len(values)])
    for name, value, unit in values:
        out += string(name) + string(unit) + struct.pack("<d", value)
    return out

print("# READINGS.md §1 binary form, one reading per line: ReadingFixtureTests.Readings, made by make-readings-v1.py.")
for r in [
    reading("hr-bed1", "health.heart_rate", ticks(datetime(2026, 11, 25, 4, 40), 1_230_000), [("bpm", 68.0, "bpm")], "simulated", 42),
    reading("loop-lane1", "traffic.occupancy", ticks(datetime(2026, 11, 25, 8, 0), 1),
            [("count", 3.0, "{vehicle}"), ("occupancy", -0.0, "%"), ("tiny", 5e-324, "")], "degraded", 300),
    reading("x", "environment", ticks(datetime(1970, 1, 1)), [], "ok", 0),
]:
    print(r.hex())
