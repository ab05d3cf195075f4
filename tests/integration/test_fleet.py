"""Sensors shipping to a collector over mutual TLS on loopback, exactly once:
ten sensors at once with collector restarts (kill -9 included), the sensor
killed mid-flush and mid-shipping, the collector down while sensors count,
and a collector whose disk fills up (README.md, "Shipping, exactly once").

The cases run once per storage backend: FleetOnSqlite and FleetOnPostgres
(docs/postgresql.md), one ctest each (test_fleet.py CLASS)."""
import os
import random
import signal
import subprocess
import time
import unittest

import harness
from harness import (ROLLUP_ALL, TALOT2_SENSORS as SENSORS, Daemon, TempDir, binary,
                     collector_section, free_port, query, rollup, start_collector,
                     write_collector_config)
from storage import PgStorage, SqliteStorage

EMPTY = os.path.join(harness.DATA, "zeek-empty-0pkts.pcap")


class FleetCases(harness.Talot2Fleet):
    """The cases; a backend class below makes them a TestCase with its storage."""

    def make_storage(self):
        raise NotImplementedError

    def setUp(self):
        self.tmp = TempDir()
        self.port = free_port()
        self.storage = self.make_storage()
        self.collector_config = write_collector_config(self.tmp.file("collector.yaml"), self.port,
                                                       self.pki, SENSORS,
                                                       storage=self.storage.yaml())
        self.collector = None

    def tearDown(self):
        if self.collector:
            self.collector.stop()
        self.tmp.cleanup()

    def start_collector(self, name="collector"):
        self.collector = start_collector(self.collector_config, self.tmp.file(f"{name}.log"))
        return self.collector

    def replay(self, sid, *files, ship_timeout=120, batch_rows=500, flush="1s"):
        collector = collector_section(self.port, self.pki, sid, extra=f"batch_rows: {batch_rows}")
        return self.start_sensor(sid, files, collector, ship_timeout, flush)

    def test_ten_sensors_with_collector_restarts_arrive_exactly_once(self):
        self.start_collector("collector-1")
        procs = {sid: self.replay(sid, self.pcap(sid), batch_rows=20) for sid in SENSORS}
        # Restart the collector while batches flow: gracefully, then kill -9 twice.
        for n, sig in enumerate((signal.SIGTERM, signal.SIGKILL, signal.SIGKILL)):
            time.sleep(1.0 + random.random())
            if sig == signal.SIGKILL:
                self.collector.kill9()
            else:
                self.assertEqual(self.collector.stop(sig), 0)
            time.sleep(0.5)
            self.start_collector(f"collector-{n + 2}")
        outputs = self.finish(procs, timeout=300)
        interrupted = sum("shipping_failed" in out for out in outputs.values())
        # The restarts must have hit sensors mid-shipping, or this proves nothing.
        self.assertGreater(interrupted, 0)
        self.assert_arrived_once(self.storage.rollup(ROLLUP_ALL), SENSORS)
        # Coverage and counters travel too.
        for sid in SENSORS:
            self.assertEqual(
                self.storage.query("SELECT day, packets, malformed, non_ip, ignored FROM coverage"
                                   " WHERE sensor = ? ORDER BY day", (sid,)),
                query(self.tmp.file(f"{sid}.db"), "SELECT day, packets, malformed, non_ip, ignored"
                                                  " FROM coverage ORDER BY day"))

    def test_collector_down_batches_wait_and_arrive_once(self):
        p = self.replay("s01", self.pcap("s01"), ship_timeout=2)
        out, _ = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 3, out)  # unacknowledged batches remain
        waiting, = query(self.tmp.file("s01.db"), "SELECT count(*) FROM outbox")[0]
        self.assertGreater(waiting, 0)
        self.start_collector()
        p = self.replay("s01", EMPTY)
        out, _ = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 0, out)
        self.assertEqual(query(self.tmp.file("s01.db"), "SELECT count(*) FROM outbox"), [(0,)])
        self.assertEqual(self.storage.rollup(ROLLUP_ALL), self.expected(["s01"]))

    def test_sensor_killed_during_flush_or_shipping_loses_nothing_committed(self):
        self.start_collector()
        rng = random.Random(5)
        big = self.tmp.file("big.pcap")
        subprocess.run(["mergecap", "-a", "-w", big, self.pcap("s02"), self.pcap("s03"),
                        self.pcap("s04")], check=True)
        for attempt in range(3):
            p = self.replay("s02", big, batch_rows=50, flush="1s")
            time.sleep(rng.uniform(0.2, 1.5) * harness.time_scale())
            p.send_signal(signal.SIGKILL)
            p.communicate()
            # Restarting with nothing to read ships whatever was committed.
            q = self.replay("s02", EMPTY, batch_rows=50)
            out, _ = q.communicate(timeout=120)
            self.assertEqual(q.returncode, 0, out)
            sensor_rows = rollup(self.tmp.file("s02.db"), ROLLUP_ALL)
            self.assertEqual(self.storage.rollup(ROLLUP_ALL), sensor_rows, f"attempt {attempt}")
        self.assertTrue(sensor_rows)

    def test_kill9_between_commit_and_ack_applies_once(self):
        # The fault hook makes the collector die right after committing its
        # third batch, before the ACK leaves: the sensor must not apply it twice.
        harness.require_fault_hook(self, "teiten-collector", "TEITEN_FAULT_EXIT_AFTER_COMMIT")
        env = dict(os.environ, TEITEN_FAULT_EXIT_AFTER_COMMIT="3")
        faulty = Daemon([binary("teiten-collector"), "-c", self.collector_config],
                        self.tmp.file("faulty.log"), env=env)
        faulty.wait_log("listening")
        p = self.replay("s05", self.pcap("s05"), batch_rows=200)
        faulty.proc.wait(timeout=60)
        self.assertIn("fault_injection", faulty.log_text())
        faulty.stop()
        self.start_collector("collector-after")
        out, _ = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 0, out)
        self.assertEqual(self.storage.rollup(ROLLUP_ALL), self.expected(["s05"]))


class FleetOnSqlite(FleetCases, unittest.TestCase):
    def make_storage(self):
        return SqliteStorage(self.tmp.file("collector.db"))

    @unittest.skipUnless(os.geteuid() == 0, "needs root to mount a tmpfs")
    def test_disk_full_on_collector_nothing_acknowledged_until_space_returns(self):
        mnt = self.tmp.file("small")
        os.mkdir(mnt)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt], check=True)
        try:
            self.storage = SqliteStorage(os.path.join(mnt, "collector.db"))
            self.collector_config = write_collector_config(self.tmp.file("collector.yaml"),
                                                           self.port, self.pki, SENSORS,
                                                           storage=self.storage.yaml())
            self.start_collector()
            p = self.replay("s06", self.pcap("s06"), batch_rows=2000)
            harness.wait_for(lambda: "batch_not_stored" in self.collector.log_text(), 60,
                             what="a storage error at the collector")
            self.assertIn("disk is full", self.collector.log_text().lower())
            self.assertIsNone(p.poll())  # the sensor keeps its batches and retries
            subprocess.run(["mount", "-o", "remount,size=64m", mnt], check=True)
            out, _ = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, out)
            self.assertEqual(self.storage.rollup(ROLLUP_ALL), self.expected(["s06"]))
        finally:
            if self.collector:
                self.collector.stop()
                self.collector = None
            subprocess.run(["umount", "-l", mnt])


class FleetOnPostgres(FleetCases, unittest.TestCase):
    """The same cases with the collector on PostgreSQL; its outage cases are
    in test_postgres_fleet.py."""

    def make_storage(self):
        return PgStorage()


if __name__ == "__main__":
    harness.run_tests(require=("mergecap",))
