#!/usr/bin/env python3
"""check_warc.py - read WARC files record by record and check them as a
replay tool would trust them, with nothing but the standard library.

For each file (FILE.warc.gz: every gzip member must hold exactly one
record; FILE.warc: records one after the other):
  - "WARC/1.1" or "WARC/1.0", header fields, Content-Length, the block,
    then CRLF CRLF;
  - WARC-Record-ID a <urn:uuid:...> seen once, WARC-Date, WARC-Type;
  - WARC-Block-Digest recomputed (sha1, base32) over the block;
  - a response: an HTTP status line and headers, the body with chunked
    framing undone, WARC-Payload-Digest recomputed over it (content
    coding kept);
  - each request names, in WARC-Concurrent-To, a response of the same
    WARC-Target-URI.
With --cdx FILE.cdxj: each line's offset and length are a whole member
holding a response or revisit record of its URL.

Prints one line per record ("TYPE URI payload-digest"), then problems;
exit 1 if there is any.

Usage: check_warc.py [--cdx CDXJ] FILE...
"""
import base64
import hashlib
import json
import sys
import zlib


def sha1(data):
    return 'sha1:' + base64.b32encode(hashlib.sha1(data).digest()).decode()


def members(raw, gz, problems, name):
    """(offset, length, record bytes) for each record of a file."""
    at = 0
    while at < len(raw):
        if gz:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                data = d.decompress(raw[at:])
            except zlib.error as e:
                problems.append(f'{name}@{at}: not gzip: {e}')
                return
            if not d.eof:
                problems.append(f'{name}@{at}: a member cut short')
                return
            used = len(raw) - at - len(d.unused_data)
            yield at, used, data
            at += used
        else:
            end = raw.find(b'\r\n\r\n', at)
            head = raw[at:end].decode('utf-8', 'replace')
            length = int(next((l.split(':', 1)[1] for l in head.split('\r\n')
                               if l.lower().startswith('content-length:')), '0'))
            used = end + 4 + length + 4 - at
            yield at, used, raw[at:at + used]
            at += used


def dechunk(body, problems, where):
    out, at = b'', 0
    while True:
        nl = body.find(b'\n', at)
        if nl < 0:
            problems.append(f'{where}: chunked body cut short')
            return out
        size = int(body[at:nl].split(b';')[0].strip() or b'0', 16)
        at = nl + 1
        if size == 0:
            return out
        out += body[at:at + size]
        at += size
        if body[at:at + 2] == b'\r\n':
            at += 2
        elif body[at:at + 1] == b'\n':
            at += 1


def check_http(rec, block, problems, where):
    head, sep, body = block.partition(b'\r\n\r\n')
    if not sep or not head.startswith(b'HTTP/'):
        problems.append(f'{where}: no HTTP response in the block')
        return None
    # An interim 1xx response comes first: the final one follows.
    while head.split(b' ')[1].startswith(b'1') and body.startswith(b'HTTP/'):
        head, _, body = body.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    te = [l for l in lines if l.lower().startswith('transfer-encoding:')]
    if te and 'chunked' in te[-1].lower() and lines[0].startswith('HTTP/1'):
        body = dechunk(body, problems, where)
    if rec['type'] == 'response' and 'truncated' not in rec and \
            rec['fields'].get('warc-payload-digest') != sha1(body):
        problems.append(f'{where}: payload digest {rec["fields"].get("warc-payload-digest")}'
                        f' is not {sha1(body)}')
    return sha1(body)


def parse(data, problems, where):
    end = data.find(b'\r\n\r\n')
    if end < 0:
        problems.append(f'{where}: no end of the header')
        return None
    lines = data[:end].decode('utf-8').split('\r\n')
    if lines[0] not in ('WARC/1.1', 'WARC/1.0'):
        problems.append(f'{where}: starts with {lines[0]!r}')
    fields = {}
    for l in lines[1:]:
        k, _, v = l.partition(':')
        fields[k.strip().lower()] = v.strip()
    length = int(fields.get('content-length', -1))
    block = data[end + 4:end + 4 + length]
    if len(block) != length or data[end + 4 + length:] != b'\r\n\r\n':
        problems.append(f'{where}: Content-Length {length} and the framing disagree')
    # WARC 1.0 (wget) writes the URI in angle brackets.
    uri = (fields.get('warc-target-uri') or '').strip('<>') or None
    rec = {'type': fields.get('warc-type'), 'fields': fields,
           'uri': uri, 'id': fields.get('warc-record-id')}
    if 'warc-truncated' in fields:
        rec['truncated'] = fields['warc-truncated']
    for need in ('warc-record-id', 'warc-date', 'warc-type'):
        if need not in fields:
            problems.append(f'{where}: no {need}')
    if fields.get('warc-block-digest') and fields['warc-block-digest'] != sha1(block):
        problems.append(f'{where}: block digest is not {sha1(block)}')
    if rec['type'] in ('response', 'revisit'):
        rec['payload'] = check_http(rec, block, problems, where)
    return rec


def main(argv):
    cdx = None
    if argv[:1] == ['--cdx']:
        cdx, argv = argv[1], argv[2:]
    problems, records, where_of = [], {}, {}
    for name in argv:
        raw = open(name, 'rb').read()
        gz = name.endswith('.gz')
        for at, length, data in members(raw, gz, problems, name):
            where = f'{name}@{at}'
            rec = parse(data, problems, where)
            if not rec:
                continue
            if rec['id'] in records:
                problems.append(f'{where}: record id {rec["id"]} seen before')
            records[rec['id']] = rec
            where_of[(name.split('/')[-1], at, length)] = rec
            print(rec['type'], rec['uri'] or '-',
                  rec['fields'].get('warc-payload-digest', '-'))
    # Each request is tied to a response of its URI, by the request's
    # WARC-Concurrent-To or the response's (wget ties them that way).
    tied = set()
    for rec in records.values():
        other = records.get(rec['fields'].get('warc-concurrent-to'))
        if other and other['uri'] == rec['uri']:
            tied.update((rec['id'], other['id']))
    for rec in records.values():
        if rec['type'] == 'request' and rec['id'] not in tied:
            problems.append(f'request {rec["id"]} of {rec["uri"]}: no response tied to it')
    if cdx:
        for line in open(cdx):
            key, ts, js = line.split(' ', 2)
            j = json.loads(js)
            rec = where_of.get((j['filename'], int(j['offset']), int(j['length'])))
            if not rec or rec['uri'] != j['url'] or rec['type'] not in ('response', 'revisit'):
                problems.append(f'cdx: {j["url"]} at {j["offset"]}: not its record')
    for p in problems:
        print('PROBLEM', p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
