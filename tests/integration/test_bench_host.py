"""The benchmark must change nothing outside its own directory (issue 12
defect 11): its tcpdump reference run, started as root with -w /dev/null,
had tcpdump chown /dev/null to its own user. The run is traced with strace
and every chown and every file opened for writing is checked."""
import os
import re
import subprocess
import sys
import unittest

import harness
from harness import TempDir, run

sys.path.insert(0, os.path.join(harness.SOURCE, "tests", "bench"))
import bench  # noqa: E402

SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")


class BenchHostTest(unittest.TestCase):
    def test_the_tcpdump_reference_run_chowns_and_writes_nothing(self):
        if os.geteuid() != 0:
            self.skipTest("the chown happens only when tcpdump starts as root")
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        trace = tmp.file("strace.txt")
        with open(os.devnull, "wb") as sink:
            r = subprocess.run(["strace", "-f", "-qq", "-o", trace, "-e",
                                "trace=chown,fchown,lchown,fchownat,open,openat,creat"]
                               + bench.tcpdump_args(SCAN), stdout=sink,
                               stderr=subprocess.PIPE, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(trace) as f:
            calls = f.read()
        self.assertIn(SCAN, calls, "the trace did not see tcpdump open its input")
        self.assertNotRegex(calls, r"\b(f|l)?chown(at)?\(", calls)
        writes = [line for line in calls.splitlines()
                  if re.search(r"O_(WRONLY|RDWR|CREAT)|creat\(", line) and " = -1 " not in line]
        self.assertEqual(writes, [])


if __name__ == "__main__":
    harness.run_tests(require=("tcpdump", "strace"))
