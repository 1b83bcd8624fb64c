#!/usr/bin/python3
"""differential.py - the links greenfetch finds in real pages against those
python3-html5lib's parser finds, page by page: the same links in the same
order, and the same <base href>.

html5lib parses each file whole (its tree builder drives its tokenizer's
states, as a browser's does); every start tag its tokenizer yields is read
by the rules greenfetch's fetch/links.c has (the elements and attributes
that are links, srcset, meta refresh, link rel), in token order.

Usage: differential.py HTML-LINKS [--mutate N] FILE_OR_DIR...
(HTML-LINKS is build/tests/html-links). With --mutate, N pages made of
pieces of those files with markup bytes thrown in, the same every run.
Exits 1 on any difference, printing the first few.
"""
import os
import re
import subprocess
import sys

import html5lib
from html5lib import _tokenizer
from html5lib.constants import tokenTypes

PAGE_RELS = {"next", "prev", "previous", "alternate", "canonical"}
ASSET_RELS = {"stylesheet", "icon", "apple-touch-icon", "preload",
              "modulepreload", "manifest", "search"}
SPACE = " \t\n\r\f"


def clean(url):
    """A link as a URL parser takes it: controls and spaces trimmed, tabs
    and newlines removed (and newlines shown as spaces, as html-links
    prints them)."""
    url = url.strip("".join(chr(c) for c in range(0x21)))
    return re.sub("[\t\n\r]", "", url)


def srcset(value):
    """"url 1x, url2 2x": the URLs, as links.c splits them."""
    out, v = [], value
    while v:
        v = v.lstrip(SPACE + ",")
        n = len(re.match(r"[^ \t\n\r\f]*", v).group(0))
        url = v[:n].rstrip(",")
        if url:
            out.append(url)
        v = v[n:]
        k = v.find(",")
        v = v[k:] if k >= 0 else ""
    return out


def refresh(content):
    p = content.lstrip(SPACE + "0123456789.")
    if not p or p[0] not in ";,":
        return []
    p = p[1:].lstrip(SPACE)
    if p[:3].lower() == "url":
        q = p[3:].lstrip(SPACE)
        if q.startswith("="):
            p = q[1:].lstrip(SPACE)
    if p and p[0] in "'\"":
        end = p.find(p[0], 1)
        return [p[1:end] if end >= 0 else p[1:]]
    return [p] if p else []


def rel_has(rel, words):
    return any(w.lower() in words for w in re.split("[ \t\n\r\f]+", rel) if w)


def links_of(name, attrs):
    """The links of one start tag, as links.c reads them (with assets)."""
    a = attrs.get
    if name in ("a", "area"):
        return [a("href")] if a("href") is not None else []
    if name in ("frame", "iframe", "embed", "script", "track"):
        return [a("src")] if a("src") is not None else []
    if name == "link":
        rel = a("rel")
        if rel is not None and (rel_has(rel, PAGE_RELS) or rel_has(rel, ASSET_RELS)):
            return [a("href")] if a("href") is not None else []
        return []
    if name == "meta":
        eq = a("http-equiv")
        if eq is not None and eq.lower() == "refresh" and a("content") is not None:
            return refresh(a("content"))
        return []
    if name in ("img", "source"):
        out = [a("src")] if a("src") is not None else []
        return out + (srcset(a("srcset")) if a("srcset") is not None else [])
    if name in ("video", "audio"):
        return [v for v in (a("src"), a("poster")) if v is not None]
    if name == "object":
        return [a("data")] if a("data") is not None else []
    if name == "input":
        t = a("type")
        if t is not None and t.lower() == "image" and a("src") is not None:
            return [a("src")]
    return []


def html5lib_links(path):
    """Parse path with html5lib; the links of its start tags in order."""
    seen = []
    original = _tokenizer.HTMLTokenizer.__iter__

    def spy(self):
        for token in original(self):
            if token["type"] == tokenTypes["StartTag"]:
                # A map already, the first of a name kept.
                seen.append((token["name"], dict(token["data"])))
            yield token

    _tokenizer.HTMLTokenizer.__iter__ = spy
    try:
        with open(path, "rb") as f:
            html5lib.parse(f.read(), treebuilder="etree")
    finally:
        _tokenizer.HTMLTokenizer.__iter__ = original
    out, base = [], None
    for name, attrs in seen:
        if name == "base" and base is None and "href" in attrs:
            base = attrs["href"]
        for url in links_of(name, attrs):
            # Values with NUL or that the cap cuts are not greenfetch's.
            out.append(clean(url).replace("\n", " "))
    lines = ["base " + base.replace("\n", " ")] if base is not None else []
    return lines + [u for u in out if len(u) <= 64 * 1024]


def greenfetch_links(tool, files):
    out = subprocess.run([tool] + files, check=True, capture_output=True).stdout
    pages, current = {}, None
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    for line in lines[:-1]:           # the last is after the final newline
        if line.startswith("== "):
            current = line[3:]
            pages[current] = []
        elif current is not None:
            pages[current].append(line)
    return pages


def html_files(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                for n in sorted(names):
                    if n.endswith((".html", ".htm")):
                        yield os.path.join(root, n)
        else:
            yield a


def mutants(files, count, seed, outdir):
    """count pages made from pieces of files with markup bytes thrown in
    (ASCII, so that both read the same encoding): a differential fuzz."""
    import random
    rnd = random.Random(seed)
    bits = [b"<", b">", b"/", b"=", b'"', b"'", b"&", b"&amp;", b"&#x41;",
            b"\0", b"\r", b"\r\n", b" ", b"<!--", b"-->", b"<a href=",
            b"<img srcset=", b"<script>", b"</script>", b"<style>", b"<svg>",
            b"<math>", b"<![CDATA[", b"]]>", b"<textarea>", b"<base href=x>",
            b"<meta http-equiv=refresh content='0;url=", b"<link rel=",
            b"<!DOCTYPE html>", b"<table><a href=t>", b"<noscript>", b"\t"]
    out = []
    for i in range(count):
        with open(rnd.choice(files), "rb") as f:
            data = f.read()
        start = rnd.randrange(max(1, len(data) - 4000))
        page = bytearray(b'<meta charset="utf-8">' + data[start:start + 4000])
        for _ in range(rnd.randrange(1, 40)):
            at = rnd.randrange(len(page) + 1)
            if rnd.random() < 0.3 and len(page) > 10:
                del page[at:at + rnd.randrange(1, 8)]
            else:
                page[at:at] = rnd.choice(bits)
        page = bytes(c if c < 0x80 else 0x3f for c in page)
        path = os.path.join(outdir, "m%05d.html" % i)
        with open(path, "wb") as f:
            f.write(page)
        out.append(path)
    return out


def main():
    tool, args = sys.argv[1], sys.argv[2:]
    mutate = 0
    if args[:1] == ["--mutate"]:
        mutate, args = int(args[1]), args[2:]
    files = sorted(set(html_files(args)))
    if mutate:
        import tempfile
        tmp = tempfile.mkdtemp()
        try:
            files = mutants(files, mutate, int(os.environ.get("SEED", "1")), tmp)
            return compare(tool, files)
        finally:
            import shutil
            shutil.rmtree(tmp)
    return compare(tool, files)


def compare(tool, files):
    bad = 0
    ours = {}
    for i in range(0, len(files), 200):
        ours.update(greenfetch_links(tool, files[i:i + 200]))
    for path in files:
        theirs = html5lib_links(path)
        mine = ours.get(path, [])
        if mine != theirs:
            bad += 1
            if bad <= 5:
                print("differs: %s" % path)
                for k, (x, y) in enumerate(zip(mine + [None] * len(theirs),
                                               theirs + [None] * len(mine))):
                    if x != y:
                        print("  link %d: greenfetch %r, html5lib %r" % (k, x, y))
                        break
    print("%d pages, %d links, %d differ" % (len(files),
          sum(len(v) for v in ours.values()), bad))
    return 1 if bad or not files else 0


if __name__ == "__main__":
    sys.exit(main())
