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
from harness import (ROLLUP_ALL, Daemon, TempDir, binary, collector_section, free_port,
                     make_certs, query, rollup, start_collector, write_collector_config,
                     write_sensor_config)
from storage import PgStorage, SqliteStorage

SENSORS = [f"s{i:02d}" for i in range(1, 11)]
EMPTY = os.path.join(harness.DATA, "zeek-empty-0pkts.pcap")


class FleetCases:
    """The cases; a backend class below makes them a TestCase with its storage."""

    def make_storage(self):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.shared = TempDir("teiten-fleet-")
        cls.pki = make_certs(cls.shared.file("pki"), *SENSORS, "stranger")
        cls.traffic, cls.fleet = harness.talot2_july(cls.shared.file("traffic"), SENSORS)

    @classmethod
    def tearDownClass(cls):
        cls.shared.cleanup()

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

    def sensor_config(self, sid, batch_rows=500, ship=True, flush="1s"):
        info = self.fleet[sid]
        extra = collector_section(self.port, self.pki, sid, extra=f"batch_rows: {batch_rows}") if ship else ""
        return write_sensor_config(self.tmp.file(f"{sid}.yaml"), sensor_id=sid,
                                   timezone="Asia/Tokyo", db=f"{sid}.db", flush=flush,
                                   observed=info["observed"], ignore=info["ignore_sources"],
                                   extra=extra)

    def replay(self, sid, *files, ship_timeout=120, **kw):
        config = self.sensor_config(sid, **kw)
        return subprocess.Popen([binary("teiten-sensor"), "-c", config, "--ship-timeout",
                                 str(ship_timeout), "--read", *files],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def pcap(self, sid):
        return os.path.join(self.traffic, f"{sid}.pcap")

    def expected(self, sids):
        return harness.fleet_truth(self.traffic, sids)

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
        interrupted = 0
        for sid, p in procs.items():
            out, _ = p.communicate(timeout=300)
            self.assertEqual(p.returncode, 0, f"{sid}:\n{out}")
            interrupted += "shipping_failed" in out
        # The restarts must have hit sensors mid-shipping, or this proves nothing.
        self.assertGreater(interrupted, 0)
        got = self.storage.rollup(ROLLUP_ALL)
        self.assertEqual(len(got), len(self.expected(SENSORS)))
        self.assertEqual(got, self.expected(SENSORS))
        union = []
        for sid in SENSORS:
            union += rollup(self.tmp.file(f"{sid}.db"), ROLLUP_ALL)
        self.assertEqual(got, sorted(union))
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
