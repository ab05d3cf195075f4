"""Documentation that is generated from code must match it, and the
repository stands on its own: what comments and docs cite is in it."""
import os
import re
import subprocess
import unittest

import harness
from harness import binary, run


class DocsTest(unittest.TestCase):
    def test_counters_md_lists_exactly_the_daemons_counter_tables(self):
        with open(os.path.join(harness.SOURCE, "docs", "counters.md")) as f:
            doc = f.read()
        for name in ("teiten-sensor", "teiten-collector"):
            table = run([binary(name), "--counters-markdown"]).stdout
            self.assertIn(table, doc, f"docs/counters.md is stale for {name}: regenerate it "
                                      f"with {name} --counters-markdown")


    def test_the_repository_cites_only_documents_it_contains(self):
        # The design notes the project started from are not part of it:
        # readers must find the rules in docs/, so nothing may cite them.
        outside = re.compile(r"\b" + "DES" + r"IGN\b")
        cited = re.compile(r"\bdocs/([A-Za-z0-9_.-]+\.md)\b")
        problems = []
        for path in tracked_text_files():
            with open(os.path.join(harness.SOURCE, path), encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if outside.search(line):
                        problems.append(f"{path}:{number}: cites the design notes: {line.strip()}")
                    for name in cited.findall(line):
                        if not os.path.exists(os.path.join(harness.SOURCE, "docs", name)):
                            problems.append(f"{path}:{number}: docs/{name} does not exist")
        self.assertEqual(problems, [])


def tracked_text_files():
    """The repository's files (git's list when there is one), binaries left out."""
    try:
        out = subprocess.run(["git", "-C", harness.SOURCE, "ls-files"], capture_output=True,
                             text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = []
        for root, dirs, files in os.walk(harness.SOURCE):
            dirs[:] = [d for d in dirs if not d.startswith((".", "build", "out"))]
            out += [os.path.relpath(os.path.join(root, f), harness.SOURCE) for f in files]
    binary_ext = (".pcap", ".pcapng", ".mmdb", ".db", ".gz", ".png")
    return sorted(p for p in out if not p.endswith(binary_ext) and "/regressions/" not in p)


if __name__ == "__main__":
    harness.run_tests()
