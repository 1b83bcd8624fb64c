#!/usr/bin/env python3
"""docs_options.py - do the man page and the README say what the option
table says?

Reads `greenfetch --help` (written from the table: names, argument,
range and default of each option) on stdin, and checks for each option:

  man/greenfetch.1  an .It entry naming it (-L, --NAME), with an argument
                    when it takes one, whose text gives its default;
  README.md         a row of the options table naming it the same way,
                    with the argument as --help writes it, and the default.

Prints one line per disagreement; exit 1 if there is any.

Usage: greenfetch --help | tests/docs_options.py MAN README
"""
import re
import sys


def options(help_text):
    """(letter, name, arg, default) for each option --help lists; default
    is '' when none is shown and 'on' for a flag that is the default."""
    rows, pending = [], None
    for line in help_text.split('\n'):
        m = re.match(r'^  (?:-(\S), |    )--(\S+)(?: (.+?))?(?:  +(\S.*))?$', line)
        if m:
            pending = list(m.groups())
            if pending[3] is None:
                continue
        elif pending and re.match(r'^ {30,}\S', line):
            pending[3] = line.strip()
        else:
            continue
        letter, name, arg, text = pending
        pending = None
        dflt = ''
        d = re.search(r'\((?:[0-9]+-[0-9]+, )?default ([^;)]+)[;)]', text)
        if d:
            dflt = d.group(1)
        elif text.endswith('(the default)'):
            dflt = 'on'
        rows.append((letter, name, (arg or '').strip(), dflt))
    return rows


def man_items(man):
    """The .It entries of the man page: (head line, text until the next)."""
    items, head, body = [], None, []
    for line in man.split('\n'):
        if line.startswith('.It '):
            if head:
                items.append((head, '\n'.join(body)))
            head, body = line, []
        elif head is not None:
            body.append(line)
    if head:
        items.append((head, '\n'.join(body)))
    return items


def man_escape(name):
    return name.replace('-', '\\-')


def check_man(rows, man):
    errors = []
    items = man_items(man)
    for letter, name, arg, dflt in rows:
        pat = r'Fl ' + re.escape('\\-' + man_escape(name)) + r'(?= |$)'
        found = [(h, b) for h, b in items if re.search(pat, h)]
        if not found:
            errors.append(f'man: no .It entry for --{name}')
            continue
        head, body = found[0]
        if letter and not re.search(r'Fl ' + re.escape(letter) + r'(?= |$)', head):
            errors.append(f'man: the entry of --{name} does not name -{letter}')
        after = re.split(pat, head, maxsplit=1)[1]
        takes = re.match(r'\s*(Ar|Oo|Op)\b', after) is not None
        if bool(arg) != takes:
            errors.append(f'man: --{name} ' + ('takes' if arg else 'takes no') +
                          ' argument, its entry says otherwise')
        text = re.sub(r'\\-', '-', body)
        if dflt == 'on':
            if 'default' not in text:
                errors.append(f'man: the entry of --{name} does not say it is the default')
        elif dflt and not re.search(r'default(?: is)? ' + re.escape(dflt) + r'\b|'
                                    + re.escape(dflt) + r' \(the default\)', text):
            errors.append(f'man: the entry of --{name} does not give its default {dflt}')
    return errors


def check_readme(rows, readme):
    errors = []
    table = [l for l in readme.split('\n') if l.startswith('| `-')]
    for letter, name, arg, dflt in rows:
        want = (f'-{letter}, ' if letter else '') + f'--{name}'
        if arg:
            want += ' ' + arg.replace('|', '\\|')
        found = [l for l in table if re.search(r'`' + re.escape(want) + r'`', l)]
        if not found:
            errors.append(f"README: no option row with `{want}`")
            continue
        if dflt == 'on' and 'default' not in found[0]:
            errors.append(f'README: the row of --{name} does not say it is the default')
        elif dflt and dflt != 'on' and not re.search(
                r'default ' + re.escape(dflt) + r'\b', found[0]):
            errors.append(f'README: the row of --{name} does not give its default {dflt}')
    return errors


def main():
    rows = options(sys.stdin.read())
    if len(rows) < 10:
        print(f'only {len(rows)} options read from --help')
        return 1
    with open(sys.argv[1]) as f:
        man = f.read()
    with open(sys.argv[2]) as f:
        readme = f.read()
    errors = check_man(rows, man) + check_readme(rows, readme)
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
