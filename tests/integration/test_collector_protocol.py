"""The collector against bad peers, each over real TLS on loopback: a
certificate from another CA, a sensor not allowlisted, a certificate that
does not name the sensor, a batch for another sensor, the wrong time zone,
oversized frames, garbage, truncated frames, an unknown version, clients
that say nothing. Each is refused or dropped, nothing of it is stored, and
the collector keeps serving the good sensor throughout."""
import os
import socket
import struct
import subprocess
import time
import unittest

import harness
import wire_client as wc
from harness import (ROLLUP_ALL, TempDir, binary, collector_section, free_port, make_certs,
                     query, rollup, start_collector, write_collector_config, write_sensor_config)

DB_ID = "0123456789abcdef0123456789abcdef"
SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")
DAY = 14795  # 2010-07-05


class CollectorProtocolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir("teiten-proto-")
        cls.pki = make_certs(cls.tmp.file("pki"), "s01", "s02", "stranger")
        cls.other = make_certs(cls.tmp.file("other-ca"), "s01")
        cls.port = free_port()
        cls.db = cls.tmp.file("collector.db")
        config = write_collector_config(
            cls.tmp.file("collector.yaml"), cls.port, cls.pki, ["s01", "s02"], db=cls.db,
            listen_extra="idle_timeout: 2s\n  handshake_timeout: 2s\n  max_frame: 64KiB")
        cls.collector = start_collector(config, cls.tmp.file("collector.log"))

    @classmethod
    def tearDownClass(cls):
        rc = cls.collector.stop()
        cls.tmp.cleanup()
        assert rc == 0, rc

    def client(self, cert="s01", **kw):
        c = wc.Client(self.port, self.pki, cert, **kw)
        self.addCleanup(c.close)
        return c

    def expect_refusal(self, client, code, text):
        reply = client.read_frame()
        self.assertIsNotNone(reply, "connection closed without a REFUSE")
        self.assertEqual(reply[0], wc.REFUSE)
        got_code, reason = wc.refuse_reason(reply[1])
        self.assertEqual(got_code, code, reason)
        self.assertIn(text, reason)
        self.assertIsNone(client.read_frame(), "the collector must close after REFUSE")

    def expect_closed(self, client, within=10):
        start = time.monotonic()
        while time.monotonic() - start < within:
            frame = client.read_frame()
            if frame is None:
                return
            self.assertEqual(frame[0], wc.REFUSE)
        self.fail("connection still open")

    def stored_rows(self):
        return query(self.db, "SELECT count(*) FROM rollup")[0][0]

    def good_sensor_still_ships(self, tag):
        """A real teiten-sensor ships through the collector that just saw a bad peer."""
        config = write_sensor_config(self.tmp.file(f"good-{tag}.yaml"), sensor_id="s02",
                                     timezone="Asia/Tokyo", db=f"good-{tag}.db",
                                     extra=collector_section(self.port, self.pki, "s02"))
        r = harness.run([binary("teiten-sensor"), "-c", config, "--read", SCAN], timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = rollup(self.tmp.file(f"good-{tag}.db"), ROLLUP_ALL)
        stored = rollup(self.db, ROLLUP_ALL, f"WHERE sensor = 's02'")
        return rows, stored

    def test_certificate_from_another_ca_is_refused_at_the_handshake(self):
        before = self.stored_rows()
        with self.assertRaises((ssl_errors())):
            c = wc.Client(self.port, self.pki, "s01", cert_pki=self.other)
            self.addCleanup(c.close)
            c.send(wc.hello("s01", "Asia/Tokyo", DB_ID))
            if c.read_frame() is None:
                raise ConnectionResetError("closed")
        harness.wait_for(lambda: "certificate rejected" in self.collector.log_text(), 10)
        self.assertRegex(self.collector.log_text(), r"refused .*fingerprint=[0-9a-f]{2}:")
        self.assertEqual(self.stored_rows(), before)

    def test_sensor_not_in_the_allowlist_is_refused(self):
        c = self.client("stranger")
        c.send(wc.hello("stranger", "Asia/Tokyo", DB_ID))
        self.expect_refusal(c, 1, "not in the collector's sensors list")

    def test_certificate_that_does_not_name_the_sensor_is_refused(self):
        c = self.client("s02")
        c.send(wc.hello("s01", "Asia/Tokyo", DB_ID))
        self.expect_refusal(c, 2, "not named by its certificate")

    def test_wrong_time_zone_is_refused_with_the_reason(self):
        c = self.client("s01")
        c.send(wc.hello("s01", "UTC", DB_ID))
        self.expect_refusal(c, 3, "counts days in UTC, but the fleet uses Asia/Tokyo")

    def test_batch_for_another_sensor_is_refused_and_not_stored(self):
        before = self.stored_rows()
        c = self.client("s01")
        c.send(wc.hello("s01", "Asia/Tokyo", DB_ID))
        self.assertEqual(c.read_frame()[0], wc.WELCOME)
        body = wc.batch_body([(DAY, "tcp", 445, "probe", "198.51.100.7", 1, 10, 10)])
        c.send(wc.batch("s02", DB_ID, 1, body))
        self.expect_refusal(c, 2, "batch for sensor 's02'")
        self.assertEqual(self.stored_rows(), before)

    def test_a_resent_batch_is_acknowledged_and_applied_once(self):
        db_id = "fedcba9876543210fedcba9876543210"
        body = wc.batch_body([(DAY, "udp", 5060, "probe", "203.0.113.9", 3, 100, 200)])
        for attempt in range(2):
            c = self.client("s01")
            c.send(wc.hello("s01", "Asia/Tokyo", db_id))
            kind, payload = c.read_frame()
            self.assertEqual(kind, wc.WELCOME)
            self.assertEqual(wc.welcome_last_seq(payload), attempt)
            c.send(wc.batch("s01", db_id, 1, body))
            kind, payload = c.read_frame()
            self.assertEqual((kind, wc.ack_seq(payload)), (wc.ACK, 1))
        self.assertEqual(query(self.db, "SELECT accesses FROM rollup WHERE src = '203.0.113.9'"),
                         [(3,)])

    def test_oversized_garbage_truncated_and_unknown_version_frames_close_only_that_connection(self):
        before = self.stored_rows()
        cases = {
            "oversized": struct.pack(">I", 64 * 1024 + 1) + b"\x01\x04",
            "garbage": os.urandom(64),
            "unknown version": wc.frame(wc.HELLO, wc.string("s01"), version=9),
            "zero length": struct.pack(">I", 0),
        }
        for name, data in cases.items():
            with self.subTest(case=name):
                c = self.client("s01")
                c.send(data)
                self.expect_closed(c)
        # A frame cut short, then the client goes away.
        c = self.client("s01")
        c.send(wc.hello("s01", "Asia/Tokyo", DB_ID))
        self.assertEqual(c.read_frame()[0], wc.WELCOME)
        full = wc.batch("s01", DB_ID, 1, wc.batch_body([(DAY, "tcp", 1, "probe", "1.2.3.4", 1, 1, 1)]))
        c.send(full[: len(full) // 2])
        c.close()  # goes away mid-frame
        # An oversized frame after a good HELLO.
        c = self.client("s01")
        c.send(wc.hello("s01", "Asia/Tokyo", DB_ID))
        self.assertEqual(c.read_frame()[0], wc.WELCOME)
        c.send(struct.pack(">IBB", 1 << 30, 1, wc.BATCH))
        self.expect_closed(c)
        self.assertEqual(self.stored_rows(), before)
        rows, stored = self.good_sensor_still_ships("frames")
        self.assertEqual(stored, rows)

    def test_silent_clients_are_dropped_after_their_timeouts(self):
        plain = socket.create_connection(("127.0.0.1", self.port))  # never starts TLS
        self.addCleanup(plain.close)
        tls = self.client("s01")                                      # TLS, never says HELLO
        start = time.monotonic()
        self.assertIsNone(tls.read_frame())
        plain.settimeout(10)
        self.assertEqual(plain.recv(1), b"")
        self.assertLess(time.monotonic() - start, 8)
        log = self.collector.log_text()
        self.assertIn("no TLS handshake within listen.handshake_timeout", log)
        # Until its HELLO is accepted a peer has handshake_timeout, not idle_timeout.
        self.assertIn("no HELLO within listen.handshake_timeout", log)


def ssl_errors():
    import ssl
    return (ssl.SSLError, ConnectionResetError, BrokenPipeError, OSError)


if __name__ == "__main__":
    harness.run_tests()
