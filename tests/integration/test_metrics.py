"""Metrics for Prometheus: the `metrics` command and the metrics.textfile of
both daemons, checked with Prometheus's own parser (`promtool check
metrics`) and parsed here for values, which are compared with independent
sources: the packets in the capture file, the rows the collector stored,
and the daemon's own `stats`."""
import json
import os
import re
import struct
import subprocess
import unittest

import harness
from harness import (TempDir, binary, collector_section, free_port, make_certs, query, run,
                     start_collector, write_collector_config, write_sensor_config)

SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\})? (\S+)$')


def pcap_records(path):
    """Records in a classic pcap file, counted from its headers alone."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    offset, count = 24, 0
    while offset + 16 <= len(data):
        incl_len = struct.unpack(order + "I", data[offset + 8:offset + 12])[0]
        offset += 16 + incl_len
        count += 1
    return count


def parse(text):
    """{(metric, label value or None): number} and {metric: type}; fails on
    any line that is not a comment or a sample."""
    samples, types, helps = {}, {}, set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
        elif line.startswith("# HELP "):
            helps.add(line.split(" ", 3)[2])
        else:
            m = SAMPLE.match(line)
            assert m, f"not a sample line: {line!r}"
            name, label, value, number = m.groups()
            key = (name, value)
            assert key not in samples, f"sample given twice: {line!r}"
            samples[key] = float(number)
    assert set(types) == helps, "every metric needs HELP and TYPE"
    for name, _ in samples:
        assert name in types, f"sample without TYPE: {name}"
    return samples, types


class MetricsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir("teiten-metrics-")

    def tearDown(self):
        self.tmp.cleanup()

    def promtool(self, text):
        r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr + "\n" + text)

    def test_both_daemons_expose_their_counter_tables_to_prometheus(self):
        pki = make_certs(self.tmp.file("pki"), "s01")
        port = free_port()
        sock = self.tmp.file("collector.sock")
        collector_prom = self.tmp.file("node-exporter/teiten-collector.prom")
        cconf = write_collector_config(
            self.tmp.file("collector.yaml"), port, pki, ["s01"],
            extra=f"control: {{socket: {sock}}}\nmetrics: {{textfile: {collector_prom}}}\n")
        collector = start_collector(cconf, self.tmp.file("collector.log"))
        try:
            sensor_prom = self.tmp.file("node-exporter/teiten-sensor.prom")
            sconf = write_sensor_config(
                self.tmp.file("s01.yaml"), sensor_id="s01", timezone="Asia/Tokyo", db="s01.db",
                extra=collector_section(port, pki, "s01") + f"metrics: {{textfile: {sensor_prom}}}")
            r = run([binary("teiten-sensor"), "-c", sconf, "--read", SCAN])
            self.assertEqual(r.returncode, 0, r.stderr)

            # The sensor's final counts, written when --read finished.
            with open(sensor_prom) as f:
                sensor_text = f.read()
            self.promtool(sensor_text)
            s, types = parse(sensor_text)
            self.assertEqual(s[("teiten_sensor_packets_total", None)], pcap_records(SCAN))
            self.assertGreaterEqual(s[("teiten_sensor_uptime_seconds", None)], 0)
            self.assertEqual(types["teiten_sensor_packets_total"], "counter")
            self.assertEqual(types["teiten_sensor_uptime_seconds"], "gauge")
            self.assertEqual(s[("teiten_sensor_batches_acked_total", None)], 1)
            self.assertIn(("teiten_sensor_malformed_total", "snaplen"), s)
            self.assertIn(("teiten_sensor_ignored_total", "not_observed"), s)
            probes = s[("teiten_sensor_accesses_total", "probe")]
            stored = query(self.tmp.file("s01.db"),
                           "SELECT sum(accesses) FROM rollup WHERE kind = 'probe'")[0][0]
            self.assertEqual(probes, stored)
            # Reading files: no kernel drops to speak of, so no sample at all.
            self.assertNotIn(("teiten_sensor_kernel_drops_total", None), s)
            self.assertEqual(os.stat(sensor_prom).st_mode & 0o777, 0o644)

            # The collector: `teitenctl metrics` prints exactly the exposition.
            ctl = run([binary("teitenctl"), "-s", sock, "metrics"])
            self.assertEqual(ctl.returncode, 0, ctl.stderr)
            self.promtool(ctl.stdout)
            c, _ = parse(ctl.stdout)
            self.assertEqual(c[("teiten_collector_batches_applied_total", None)], 1)
            rows = query(self.tmp.file("collector.db"),
                         "SELECT sum(rows) FROM sensor_databases")[0][0]
            self.assertEqual(c[("teiten_collector_rows_applied_total", None)], rows)
            self.assertEqual(s[("teiten_sensor_rows_acked_total", None)], rows)
            reasons = {label for (name, label) in c if name == "teiten_collector_refused_total"}
            self.assertEqual(reasons, {"handshake", "handshake_timeout", "no_hello",
                                       "identity_mismatch", "not_allowlisted",
                                       "timezone_mismatch", "protocol", "overloaded"})
            # One sample per numeric `stats` row; the *_total sums are left to sum().
            stats = json.loads(run([binary("teitenctl"), "-s", sock, "--json", "stats"]).stdout)
            numeric = [x for x in stats["arguments"]["counters"]
                       if isinstance(x["value"], (int, float)) and x["name"] != "refused_total"]
            self.assertEqual(len(c), len(numeric))

            # The textfile is rewritten with the status line, every 10 s.
            harness.wait_for(lambda: os.path.exists(collector_prom), 25,
                             what="the collector's metrics textfile")
            with open(collector_prom) as f:
                self.promtool(f.read())
            self.assertEqual([n for n in os.listdir(os.path.dirname(collector_prom))
                              if n.startswith(".")], [])  # no temporary file left behind
        finally:
            self.assertEqual(collector.stop(), 0)
        with open(collector_prom) as f:
            final, _ = parse(f.read())
        self.assertEqual(final[("teiten_collector_batches_applied_total", None)], 1)

    def test_an_unwritable_textfile_is_logged_and_the_daemon_keeps_running(self):
        pki = make_certs(self.tmp.file("pki"), "s01")
        blocked = self.tmp.file("blocked")
        with open(blocked, "w") as f:
            f.write("a file where the directory should be\n")
        cconf = write_collector_config(
            self.tmp.file("collector.yaml"), free_port(), pki, ["s01"],
            extra=f"metrics: {{textfile: {blocked}/x/teiten.prom}}\n")
        # -t names the key: the file's directory cannot exist.
        r = run([binary("teiten-collector"), "-c", cconf, "-t"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("metrics.textfile", r.stderr)


if __name__ == "__main__":
    harness.run_tests(require=("promtool",))
