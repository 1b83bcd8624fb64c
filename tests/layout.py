#!/usr/bin/env python3
"""layout.py - is the house as drawn?

Checks the C sources (as curl's checksrc checks its own):

  flow       an #include "x.h" names a header of the file's own directory
             or of one below it: common <- pool <- fetch <- crawl <- cli;
             cli/ includes no libcurl, libev or c-ares header.
  size       no source file over 600 lines;
  functions  no function over 60 lines, unless the comment just above it
             gives the reason in a sentence starting "Long:".

Prints one line per breach; exit 1 if there is any.

Usage: tests/layout.py [ROOT]
"""
import os
import re
import sys

LAYERS = ['common', 'pool', 'fetch', 'crawl', 'cli']
# What each directory may include, besides itself.
MAY = {d: set(LAYERS[:i]) for i, d in enumerate(LAYERS)}
FOREIGN = {'cli': ('curl/', 'ev.h', 'ares.h', 'ares_')}
MAX_FILE = 600
MAX_FUNCTION = 60
# Sources checked for size besides the layers (the test server, tests).
MORE = ['tests/server', 'tests/unit', 'tests/fuzz', 'tests/fault', 'tests/html5lib']


def sources(root, dirs):
    for d in dirs:
        path = os.path.join(root, d)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if name.endswith(('.c', '.h')):
                yield os.path.join(d, name)


def header_dirs(root):
    where = {}
    for f in sources(root, LAYERS):
        if f.endswith('.h'):
            where[os.path.basename(f)] = f.split('/')[0]
    return where


def check_flow(root, f, lines, where, out):
    d = f.split('/')[0]
    for n, line in enumerate(lines, 1):
        m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
        if not m:
            continue
        name = m.group(2)
        if m.group(1) == '"' and name in where:
            other = where[name]
            if other != d and other not in MAY[d]:
                out.append(f'{f}:{n}: includes {other}/{name}: {d}/ may include '
                           f'only {", ".join(sorted(MAY[d] | {d}))}')
        if m.group(1) == '<' and name.startswith(FOREIGN.get(d, ('\0',))):
            out.append(f'{f}:{n}: includes <{name}>: {d}/ uses no libcurl, '
                       'libev or c-ares')


def functions(lines):
    """(name, first line, length, comment above) of each function defined
    at the top level: a line at column 0 with '(' and no ';', then '{' at
    column 0, up to the '}' at column 0."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r'^[A-Za-z_].*\(', line) and not line.rstrip().endswith(';') \
                and not line.startswith(('typedef', '#')):
            j = i
            while j < len(lines) and lines[j] != '{' and not lines[j].rstrip().endswith(';'):
                j += 1
            if j < len(lines) and lines[j] == '{':
                k = j + 1
                while k < len(lines) and lines[k] != '}':
                    k += 1
                m = re.search(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(', line)
                c = i - 1
                comment = []
                if c >= 0 and lines[c].rstrip().endswith('*/'):
                    while c >= 0:
                        comment.insert(0, lines[c])
                        if lines[c].lstrip().startswith('/*'):
                            break
                        c -= 1
                yield (m.group(1) if m else '?', i + 1, k - j - 1, ' '.join(comment))
                i = k
        i += 1


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    where = header_dirs(root)
    out = []
    for f in list(sources(root, LAYERS)) + list(sources(root, MORE)):
        with open(os.path.join(root, f), encoding='utf-8', errors='replace') as fp:
            lines = fp.read().split('\n')
        if lines and lines[-1] == '':
            lines.pop()
        if f.split('/')[0] in LAYERS:
            check_flow(root, f, lines, where, out)
        if len(lines) > MAX_FILE:
            out.append(f'{f}: {len(lines)} lines, over {MAX_FILE}')
        for name, at, length, comment in functions(lines):
            if length > MAX_FUNCTION and not re.search(r'\bLong:', comment):
                out.append(f'{f}:{at}: {name}() is {length} lines, over '
                           f'{MAX_FUNCTION}, and its comment gives no reason ("Long: ...")')
    for line in out:
        print(line)
    return 1 if out else 0


if __name__ == '__main__':
    sys.exit(main())
