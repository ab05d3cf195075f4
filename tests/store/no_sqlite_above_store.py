#!/usr/bin/env python3
"""No SQLite above the store: no file under daemon/ reaches <sqlite3.h>,
directly or through the project headers it includes. SQLite belongs to
common/store (the SQLite implementations of its interfaces); a daemon that
sees sqlite3.h can run SQL past the store, and the PostgreSQL backend would
then have to copy whatever it does.

Follows every #include "..." that names a file of the repository, from each
source and header under daemon/, and prints the chain to each hit.
Usage: no_sqlite_above_store.py SOURCE_DIR"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
FORBIDDEN = "sqlite3.h"


def includes(path):
    return INCLUDE.findall(path.read_text(errors="replace"))


def chains_to_sqlite(root, start):
    """Every include chain from start to <sqlite3.h> (first path to each header)."""
    found, seen = [], set()
    stack = [(start, [start.relative_to(root).as_posix()])]
    while stack:
        path, chain = stack.pop()
        for kind, name in includes(path):
            if pathlib.PurePath(name).name == FORBIDDEN:
                found.append(chain + [f"<{name}>" if kind == "<" else f'"{name}"'])
                continue
            if kind != '"':
                continue
            for base in (root, path.parent):
                target = (base / name).resolve()
                if target.is_file() and root in target.parents:
                    if target not in seen:
                        seen.add(target)
                        stack.append((target, chain + [target.relative_to(root).as_posix()]))
                    break
    return found


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    sources = sorted(p for p in (root / "daemon").rglob("*") if p.suffix in (".h", ".cpp"))
    if len(sources) < 20:
        print(f"only {len(sources)} files under {root}/daemon: wrong source dir?")
        return 1
    bad = [c for s in sources for c in chains_to_sqlite(root, s)]
    for chain in bad:
        print("sqlite3.h above the store: " + " -> ".join(chain))
    print(f"{len(sources)} daemon files checked, {len(bad)} reach {FORBIDDEN}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
