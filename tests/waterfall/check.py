#!/usr/bin/env python3
"""check.py - a --waterfall picture against the records it draws.

Usage: check.py SVG TIMES [PNG]

TIMES holds one line per record, as -w wrote it in the same run:
  INDEX QUEUE REDIRECT NAMELOOKUP CONNECT APPCONNECT STARTTRANSFER TOTAL FAILED
(FAILED: 1 when the record has an error). The SVG must parse as XML and
hold one bar group per record, in the same order; each phase's rect must
be as wide as its time says (the phases worked out here from the times,
the way the man page says), within a pixel, and a failed record marked.
With PNG (the SVG rendered by chromium), each row's bar must be there
in the pixels: its extent as wide as the record's time and where its
first rect starts, within two pixels (antialiasing at both ends). Exit status 0 when all holds;
else each mismatch on a line.
"""
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = "{http://www.w3.org/2000/svg}"
PHASES = ["queue", "earlier", "dns", "connect", "tls", "wait", "receive"]
TOP, ROW_H, BAR_H = 86, 16, 10


def expected_phases(q, r, nl, conn, tls, st, total):
    """The seconds of each phase, from the record's times."""
    bounds = [0.0, q, q + r]
    reached = [nl, conn, tls, st]
    last = max([i for i, v in enumerate(reached) if v > 0], default=-1)
    for i, v in enumerate(reached):
        if i > last:
            bounds.append(total)
        else:
            bounds.append(v if v > 0 else bounds[-1])
    bounds.append(total)
    out, prev = [], 0.0
    for b in bounds:
        b = min(max(b, prev), total)
        out.append(b)
        prev = b
    return [out[i + 1] - out[i] for i in range(len(PHASES))]


def read_png(path):
    """Width, height and rows of RGB(A) tuples of an 8-bit PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "PNG kind"
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def dist(a, b):
    return sum(abs(x - y) for x, y in zip(a, b))


def bar_pixel(px):
    """On a row's middle line, what is not the white ground is the bar
    (its edges blended), a grid line, or a failure's mark (apart from
    the bar)."""
    return dist(px, (255, 255, 255)) > 12


def grid_pixel(px):
    """The pale grey of a grid line, or its blend with the ground."""
    return min(px) > 225 and max(px) - min(px) < 10


def bar_run(row, start, end):
    """The longest run of bar pixels in row[start:end] (a grid line is
    one or two): where it starts, and its length."""
    best, run_at, x = (start, 0), None, start
    for x in range(start, end + 1):
        if x < end and bar_pixel(row[x]):
            run_at = x if run_at is None else run_at
            continue
        if run_at is not None and x - run_at > best[1]:
            best = (run_at, x - run_at)
        run_at = None
    at, n = best
    # A grid line's half pixel that touches the bar is not the bar.
    while n > 0 and grid_pixel(row[at]):
        at, n = at + 1, n - 1
    while n > 0 and grid_pixel(row[at + n - 1]):
        n -= 1
    return at, n


def main():
    svg, times = sys.argv[1], sys.argv[2]
    errors = []
    root = ET.parse(svg).getroot()
    px = float(root.get("data-px-per-second"))
    chart_x = float(root.get("data-chart-x"))
    groups = [g for g in root.iter(NS + "g") if "rec" in g.get("class", "").split()]
    recs = [line.split() for line in open(times) if line.strip()]
    if len(groups) != len(recs):
        errors.append(f"{len(groups)} bar groups for {len(recs)} records")
    starts = []
    for g, rec in zip(groups, recs):
        index, t, failed = rec[0], [float(v) for v in rec[1:8]], rec[8] == "1"
        if g.get("data-index") != index:
            errors.append(f"group of record {g.get('data-index')} where {index} was")
        if not g.find(NS + "title").text.strip():
            errors.append(f"record {index}: no tooltip")
        if failed != ("failed" in g.get("class").split()):
            errors.append(f"record {index}: failed is {failed}, the picture says otherwise")
        want = dict(zip(PHASES, expected_phases(*t)))
        rects = {r.get("class"): r for r in g.iter(NS + "rect")}
        for name in PHASES:
            got = float(rects[name].get("width")) if name in rects else 0.0
            if abs(got - want[name] * px) > 1:
                errors.append(f"record {index}: {name} {got:.2f} px wide, "
                              f"{want[name] * px:.2f} px for {want[name]:.6f} s")
        xs = [float(r.get("x")) for r in rects.values()]
        starts.append(min(xs) if xs else None)
    if len(sys.argv) > 3:
        w, h, rows = read_png(sys.argv[3])
        for i, (rec, x0) in enumerate(zip(recs, starts)):
            want = float(rec[7]) * px
            y = TOP + i * ROW_H + BAR_H // 2
            if want < 3 or y >= h:
                continue       # too thin to see apart from antialiasing
            first, got = bar_run(rows[y], int(chart_x) - 2, w)
            if abs(got - want) > 2:
                errors.append(f"record {rec[0]}: {got} px of bar in the PNG, {want:.1f} px wanted")
            elif x0 is not None and abs(first - x0) > 2:
                errors.append(f"record {rec[0]}: its bar starts at {first} px, not {x0:.1f}")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
