#!/usr/bin/env python3
"""Fault hooks are in a binary exactly when the build asked for them.

A daemon built without -DTEITEN_FAULT_INJECTION=ON must not carry any hook
(no environment variable can make it fail on purpose); one built with it
must carry them, which also shows this scan finds a hook when one is there.
The probe is a fault point compiled as a build without the option compiles
every daemon source, so the "without" case is checked in every build.

Usage: fault_hooks_in_binaries.py --hooks on|off --probe PROBE DAEMON...
The first DAEMON is the collector (it holds the commit hook)."""
import argparse
import sys

MARK = b"TEITEN_FAULT_"
COLLECTOR_HOOK = b"TEITEN_FAULT_EXIT_AFTER_COMMIT"


def holds(path, needle):
    with open(path, "rb") as f:
        return needle in f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hooks", choices=("on", "off"), required=True)
    ap.add_argument("--probe", required=True)
    ap.add_argument("daemons", nargs="+")
    a = ap.parse_args()
    problems = []
    if holds(a.probe, MARK):
        problems.append(f"{a.probe}: a fault point compiled without the option carries a hook")
    for daemon in a.daemons:
        if a.hooks == "off" and holds(daemon, MARK):
            problems.append(f"{daemon}: built without TEITEN_FAULT_INJECTION but carries a hook")
    if a.hooks == "on" and not holds(a.daemons[0], COLLECTOR_HOOK):
        problems.append(f"{a.daemons[0]}: built with TEITEN_FAULT_INJECTION but its commit "
                        f"hook {COLLECTOR_HOOK.decode()} is missing")
    for p in problems:
        print(p)
    print(f"fault hooks {a.hooks}: {len(a.daemons)} daemons and the probe checked, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
