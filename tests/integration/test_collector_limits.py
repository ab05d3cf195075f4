"""The collector's limits against peers that have not identified themselves
(issue 12, defects 2 and 3), with real processes on loopback: frames
announced large before HELLO, frames of identified peers past
listen.frame_memory, idle plain TCP connections by the thousand. The
collector's memory is read from /proc, and a real teiten-sensor must still
ship (or, when it cannot, say that the collector is overloaded)."""
import os
import resource
import socket
import struct
import unittest

import harness
import wire_client as wc
from harness import (ROLLUP_ALL, TempDir, binary, collector_section, free_port, make_certs,
                     rollup, run, start_collector, write_collector_config, write_sensor_config)

DB_ID = "0123456789abcdef0123456789abcdef"
SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")
MiB = 1 << 20


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def raise_fd_limit(want):
    """The test holds over a thousand sockets, and the collector it starts
    inherits the limit: without this the fd limit, not the slots, would be
    what runs out."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < want:
        raise AssertionError(f"fd hard limit {hard} < {want}: cannot run this test")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))


class CollectorLimitsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir("teiten-limits-")
        self.pki = make_certs(self.tmp.file("pki"), "s01", "s02", "intruder")
        self.port = free_port()
        self.open = []
        self.daemon = None

    def tearDown(self):
        for s in self.open:
            try:
                s.close()
            except OSError:
                pass
        try:
            if self.daemon:
                self.assertEqual(self.daemon.stop(), 0, self.daemon.log_text())
        finally:
            self.tmp.cleanup()

    def collector(self, listen_extra=""):
        config = write_collector_config(self.tmp.file("collector.yaml"), self.port, self.pki,
                                        ["s01", "s02"], db=self.tmp.file("collector.db"),
                                        listen_extra=listen_extra)
        self.daemon = start_collector(config, self.tmp.file("collector.log"))
        return self.daemon

    def assert_grown_less(self, grown, limit):
        # Under ASan the collector's RSS holds the quarantine of freed frames
        # (it grew 164 MiB here): the bound is checked in the normal build,
        # the sanitizer run checks what happens to the frames' memory.
        if not harness.sanitized():
            self.assertLess(grown, limit, f"collector RSS grew {grown / MiB:.1f} MiB")

    def ship(self, sensor="s02", ship_timeout=60):
        """A real sensor replays SCAN through the collector; (exit code, log, stored == read)."""
        config = write_sensor_config(self.tmp.file(f"{sensor}.yaml"), sensor_id=sensor,
                                     timezone="Asia/Tokyo", db=self.tmp.file(f"{sensor}.db"),
                                     extra=collector_section(self.port, self.pki, sensor))
        r = run([binary("teiten-sensor"), "-c", config, "--ship-timeout", str(ship_timeout),
                 "--read", SCAN], timeout=ship_timeout + 60)
        same = (rollup(self.tmp.file(f"{sensor}.db"), ROLLUP_ALL) ==
                rollup(self.tmp.file("collector.db"), ROLLUP_ALL, f"WHERE sensor = '{sensor}'"))
        return r.returncode, r.stdout + r.stderr, same

    def announce_large(self, cert, hello, announced, send):
        """A TLS peer that (after `hello`, if any) announces a BATCH of
        `announced` bytes and sends `send` bytes of it; kept open. Returns
        True while the collector has not closed it."""
        c = wc.Client(self.port, self.pki, cert, timeout=20)
        self.open.append(c)
        try:
            if hello:
                c.send(wc.hello(cert, "Asia/Tokyo", DB_ID))
                self.assertEqual(c.read_frame()[0], wc.WELCOME)
            c.send(struct.pack(">IBB", announced, 1, wc.BATCH))
            block = b"\xa5" * (256 * 1024)
            for _ in range(send // len(block)):
                c.send(block)
        except (OSError, wc.ssl.SSLError):
            return False
        return True

    def test_frames_announced_before_hello_cannot_grow_the_collector(self):
        daemon = self.collector()
        pid = daemon.proc.pid
        before = rss_bytes(pid)
        # Each announces 16 MiB + 1 KiB (past max_frame too) ... and 16 MiB
        # exactly, sending 4 MiB of it: without a cap before HELLO the
        # collector would hold 24 x 4 MiB.
        for i in range(24):
            self.announce_large("intruder", False, 16 * MiB + (1024 if i % 2 else 0), 4 * MiB)
        self.assert_grown_less(rss_bytes(pid) - before, 32 * MiB)
        code, log, same = self.ship()
        self.assertEqual(code, 0, log)
        self.assertTrue(same)
        self.assertIn("exceeds the maximum of 234 bytes", daemon.log_text())

    def test_frames_of_identified_sensors_share_frame_memory(self):
        daemon = self.collector("max_frame: 8MiB\n  frame_memory: 16MiB")
        pid = daemon.proc.pid
        before = rss_bytes(pid)
        kept = [self.announce_large("s01", True, 8 * MiB, 6 * MiB) for _ in range(8)]
        # 8 x 6 MiB without the budget; with it, at most 16 MiB held.
        self.assert_grown_less(rss_bytes(pid) - before, 32 * MiB)
        stats = self.stats()
        self.assertGreaterEqual(stats["refused.overloaded"], 8 - 16 // 6, (kept, stats))
        self.assertIn("listen.frame_memory", daemon.log_text())
        for c in self.open:
            c.close()
        code, log, same = self.ship()
        self.assertEqual(code, 0, log)
        self.assertTrue(same)

    def stats(self):
        import json
        r = run([binary("teitenctl"), "-s", self.tmp.file("collector-control.sock"), "--json",
                 "stats"])
        self.assertEqual(r.returncode, 0, r.stderr)
        return {c["name"]: c["value"] for c in json.loads(r.stdout)["arguments"]["counters"]}

    def idle_connections(self, count, sources):
        """`count` plain TCP connections spread over `sources`, never speaking."""
        for i in range(count):
            s = socket.socket()
            s.bind((sources[i % len(sources)], 0))
            s.settimeout(10)
            try:
                s.connect(("127.0.0.1", self.port))
            except OSError:
                s.close()
                continue
            self.open.append(s)

    def test_idle_connections_by_the_thousand_leave_a_sensor_room_to_ship(self):
        raise_fd_limit(4096)
        # A long handshake timeout: only the limits on unauthenticated
        # connections can keep the sensor in.
        daemon = self.collector("handshake_timeout: 120s")
        self.idle_connections(1100, [f"127.0.0.{n}" for n in range(2, 13)])
        code, log, same = self.ship(ship_timeout=30)
        self.assertEqual(code, 0, log)
        self.assertTrue(same)
        self.assertGreater(self.stats()["refused.overloaded"], 0)
        self.assertIn("max_unauthenticated_per_address", daemon.log_text())

    def test_a_sensor_locked_out_says_collector_overloaded(self):
        self.collector("handshake_timeout: 120s\n  max_unauthenticated_per_address: 2")
        self.idle_connections(2, ["127.0.0.1"])
        code, log, same = self.ship(ship_timeout=3)
        self.assertEqual(code, 3, log)
        self.assertIn("collector overloaded", log)
        self.assertNotIn("connection reset", log.lower())


if __name__ == "__main__":
    harness.run_tests()
