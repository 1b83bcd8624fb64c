#!/usr/bin/env python3
"""tokenizer.py HTML_TOKENS HTML5LIB_TESTS_DIR: fetch/html.c against the
html5lib tokenizer tests.

Every test is run in each of its initial states, its input fed whole and
in pieces of 1, 3 and 7 bytes; the tokens greenfetch reports (start tags
with their attributes, end tags, comments) must be the expected ones, in
order. Tests whose input cannot be UTF-8 (lone surrogates) are left out
and counted. Prints one line per failure and a summary; exits 1 on any."""
import glob, json, os, re, subprocess, sys

tool, root = sys.argv[1], sys.argv[2]


def unescape(s):
    return re.sub(r'\\u([0-9a-fA-F]{4})', lambda m: chr(int(m.group(1), 16)), s)


def expected(test):
    out = []
    for tok in test['output']:
        if test.get('doubleEscaped'):
            tok = [unescape(x) if isinstance(x, str) else x for x in tok]
            if tok[0] == 'StartTag':
                tok[2] = {unescape(k): unescape(v) for k, v in tok[2].items()}
        if tok[0] == 'StartTag':
            out.append(['StartTag', tok[1], tok[2]] + ([True] if len(tok) > 3 and tok[3] else []))
        elif tok[0] in ('EndTag', 'Comment'):
            out.append(tok[:2])
    return out


STATES = ['Data state', 'PLAINTEXT state', 'RCDATA state', 'RAWTEXT state',
          'Script data state', 'CDATA section state']
proc = subprocess.Popen([tool, '-b'], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def tokenize(raw, state='Data state', last='', step=0):
    proc.stdin.write(b'%d %s %d %d\n' % (STATES.index(state), (last or '-').encode(),
                                          step, len(raw)) + raw)
    proc.stdin.flush()
    tokens = []
    for line in proc.stdout:
        if line == b'--\n':
            return tokens
        tokens.append(json.loads(line.decode('utf-8', 'replace')))
    raise SystemExit('html-tokens died')


passed = failed = skipped = 0
for path in sorted(glob.glob(os.path.join(root, 'tokenizer', '*.test'))):
    data = json.load(open(path, encoding='utf-8'))
    for test in data.get('tests', []) + data.get('xmlViolationTests', []):
        if 'xmlViolationTests' in data and test in data['xmlViolationTests']:
            continue  # XML-specific outputs, not the HTML tokenizer's
        text = test['input']
        if test.get('doubleEscaped'):
            text = unescape(text)
        try:
            raw = text.encode('utf-8')
        except UnicodeEncodeError:
            skipped += 1
            continue
        want = expected(test)
        for state in test.get('initialStates', ['Data state']):
            for step in (0, 1, 3, 7):
                tokens = tokenize(raw, state, test.get('lastStartTag', ''), step)
                if tokens == want:
                    passed += 1
                    continue
                failed += 1
                print('FAIL %s: %s [%s, pieces %s]\n  input %r\n  want %s\n  got  %s' % (
                    os.path.basename(path), test['description'], state, step, text, want, tokens))
                break
# The character reference tests are written for text; in an attribute
# value ("<a x='...'>") a reference alone decodes the same way, so each is
# also a test of references in attributes, where greenfetch decodes them.
refs = 0
for name in ('namedEntities.test', 'numericEntities.test'):
    for test in json.load(open(os.path.join(root, 'tokenizer', name)))['tests']:
        text = test['input']
        if "'" in text or '<' in text or '&' not in text:
            continue
        value = ''.join(tok[1] for tok in test['output'] if tok[0] == 'Character')
        try:
            raw = ("<a x='%s'>" % text).encode('utf-8')
        except UnicodeEncodeError:
            continue
        tokens = tokenize(raw)
        if tokens == [['StartTag', 'a', {'x': value}]]:
            refs += 1
            continue
        failed += 1
        print('FAIL %s in an attribute: %s\n  input %r\n  want %r\n  got  %s' % (
            name, test['description'], text, value, tokens))
passed += refs
print('html5lib tokenizer: %d runs passed (%d of them references in attributes), %d failed, '
      '%d tests left out (not UTF-8)' % (passed, refs, failed, skipped))
sys.exit(1 if failed else 0)
