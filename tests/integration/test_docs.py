"""Documentation that is generated from code must match it."""
import os
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


if __name__ == "__main__":
    harness.run_tests()
