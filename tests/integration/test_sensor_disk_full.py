"""The sensor's database on a full disk (README.md, "Reliability"; issue 12):
a tmpfs mounted in the test's own directory holds the database, and a file
fills it while the sensor counts a stream on its standard input and ships
to a collector. Capture must keep counting in memory up to the
max_rows_in_memory bound, the error must show in status and the log, a
`flush` must not be acknowledged, and once the filler is removed everything
must be committed and shipped exactly once: the sensor's and the
collector's rollups equal the generator's ground truth.

One run (setUpClass) is observed; each test checks one promise of it.
Needs root (mount); exits 77 (skipped) otherwise."""
import errno
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
import unittest

import harness
from capture_stream import CaptureStream
from harness import (ROLLUP_ALL, TempDir, binary, collector_section, free_port, make_certs,
                     query, rollup, run, start_collector, truth_rows, write_collector_config,
                     write_sensor_config)

FRAMES = 120_000
FRAMES_PER_SECOND = 6000
MAX_ROWS = 5000
# Rows are counted between libpcap dispatches of up to 16384 frames, so the
# table can pass max_rows_in_memory by that many before a flush is asked for.
DISPATCH = 16384


class DiskFullRun:
    """Starts the collector and the sensor, streams the capture, fills and
    frees the sensor's disk, and records what it saw."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.disk = tmp.file("disk")
        os.mkdir(self.disk)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m,mode=0700", "tmpfs", self.disk],
                       check=True)
        self.mounted = True
        self.filler = os.path.join(self.disk, "filler")
        self.db = os.path.join(self.disk, "sensor.db")
        self.socket = tmp.file("sensor.sock")
        self.status_polls = []  # (phase, status reply arguments)
        self.flush_reply = None

    def unmount(self):
        if self.mounted:
            subprocess.run(["umount", "-l", self.disk])
            self.mounted = False

    def prepare(self):
        traffic = self.tmp.file("traffic")
        subprocess.run([binary("teiten-synth"), "bench-small", "--packets", str(FRAMES),
                        "--truth", "full", "--out", traffic], check=True, capture_output=True)
        with open(os.path.join(traffic, "bench-small.summary.json")) as f:
            view = json.load(f)["sensor_view"]
        self.truth = truth_rows(os.path.join(traffic, "bench-small.truth.csv"), "s01")
        self.stream = CaptureStream([os.path.join(traffic, "bench-small.pcap")])
        pki = make_certs(self.tmp.file("pki"), "s01")
        port = free_port()
        self.collector_db = self.tmp.file("collector.db")
        config = write_collector_config(self.tmp.file("collector.yaml"), port, pki, ["s01"],
                                        db=self.collector_db, timezone="UTC")
        self.collector = start_collector(config, self.tmp.file("collector.log"))
        self.config = write_sensor_config(
            self.tmp.file("sensor.yaml"), timezone="UTC", db=self.db, flush="1s",
            observed=view["observed"], storage_extra=f", max_rows_in_memory: {MAX_ROWS}",
            extra=f"control: {{socket: {self.socket}}}\n" +
                  collector_section(port, pki, "s01", extra="batch_rows: 1000"))

    def status(self):
        r = run([binary("teitenctl"), "-s", self.socket, "--json", "status"], timeout=30)
        if r.returncode != 0:
            return None
        return json.loads(r.stdout)["arguments"]

    def committed(self):
        return query(self.db, "SELECT coalesce(sum(packets), 0) FROM coverage")[0][0]

    def first_commit(self):
        # The file exists a moment before the sensor has created its tables.
        try:
            return os.path.exists(self.db) and self.committed() > 0
        except sqlite3.OperationalError:
            return False

    def feed(self):
        stdin = self.sensor.stdin
        stdin.write(self.stream.header)
        start, at = time.monotonic(), 0
        while at < self.stream.total:
            due = min(self.stream.total, int((time.monotonic() - start) * FRAMES_PER_SECOND))
            for piece, n in self.stream.frames(at, due):
                stdin.write(piece)
                at += n
            stdin.flush()
            time.sleep(0.05)
        stdin.close()

    def fill_disk(self):
        # Unbuffered: when the last chunk's remainder after a short write is
        # smaller than the buffer (free space 60 KiB past a multiple of the
        # chunk on tmpfs, one time in 16: the sensor's WAL size decides),
        # a buffered file keeps it and raises ENOSPC again when `with`
        # closes the file, outside the handler; setUp then failed.
        chunk = b"\0" * (1 << 16)
        with open(self.filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(chunk)
                    f.flush()
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise

    def poll(self, phase, seconds, until=lambda status: False):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.sensor.poll() is None:
            s = self.status()
            if s:
                self.status_polls.append((phase, s))
                if until(s):
                    return
            time.sleep(0.5)

    def run(self):
        self.prepare()
        log = open(self.tmp.file("sensor.log"), "w")
        self.sensor = subprocess.Popen(
            [binary("teiten-sensor"), "-c", self.config, "--ship-timeout", "120", "--read", "-"],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        feeder = threading.Thread(target=self.feed)
        feeder.start()
        try:
            harness.wait_for(self.first_commit, 60,
                             what="a first commit with the disk free")
            self.poll("free", 1)
            self.fill_disk()
            self.full_since = time.monotonic()
            harness.wait_for(lambda: self.log().count("flush_failed") >= 2, 60,
                             what="two failed flushes on the full disk")
            self.poll("full", 2)
            self.flush_reply = run([binary("teitenctl"), "-s", self.socket, "--json", "flush"],
                                   timeout=60)
            self.poll("full", 3)
            self.committed_while_full = self.committed()
            os.unlink(self.filler)
            # The next commit comes at the next dispatch boundary.
            self.poll("freed", 30, until=lambda status: status["storage"]["last_error"] == "")
        finally:
            feeder.join(timeout=120)
            try:
                self.code = self.sensor.wait(timeout=180)
            except subprocess.TimeoutExpired:
                self.sensor.send_signal(signal.SIGKILL)
                self.code = self.sensor.wait()
            self.collector.stop()

    def log(self):
        with open(self.tmp.file("sensor.log")) as f:
            return f.read()


class SensorDiskFullTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir("teiten-diskfull-")
        cls.run_ = DiskFullRun(cls.tmp)
        try:
            cls.run_.run()
        except BaseException:
            cls.run_.unmount()
            cls.tmp.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.run_.unmount()
        cls.tmp.cleanup()

    def full_polls(self):
        polls = [s for phase, s in self.run_.status_polls if phase == "full"]
        self.assertTrue(polls, "no status answered while the disk was full")
        return polls

    def test_everything_is_committed_and_shipped_exactly_once_when_space_returns(self):
        r = self.run_
        self.assertEqual(r.code, 0, r.log()[-3000:])
        self.assertEqual(r.committed(), FRAMES)
        self.assertEqual(rollup(r.db, ROLLUP_ALL), r.truth)
        self.assertEqual(rollup(r.collector_db, ROLLUP_ALL), r.truth)
        self.assertEqual(query(r.db, "SELECT count(*) FROM outbox"), [(0,)])

    def test_capture_counts_in_memory_up_to_the_bound_while_commits_fail(self):
        # Counting goes on in memory past what could be committed; at
        # max_rows_in_memory the capture waits for the store (a --read
        # replay reads slower, a live sensor's kernel buffer takes the rest)
        # instead of holding more rows than the bound.
        polls = self.full_polls()
        received = [s["capture"]["packets_received"] for s in polls]
        self.assertLess(self.run_.committed_while_full, received[-1])
        self.assertTrue(any(s["memory"]["store_waits"] > 0 for s in polls),
                        [s["memory"] for s in polls[-3:]])

    def test_the_error_shows_in_status_and_the_log(self):
        polls = self.full_polls()
        storage = polls[-1]["storage"]
        self.assertIn("full", storage["last_error"].lower())
        self.assertGreater(storage["flush_failures"], 0)
        self.assertGreater(storage["retained_rows"], 0)
        self.assertIn("flush_failed", self.run_.log())
        self.assertIn("disk is full", self.run_.log().lower())
        # And it clears once a commit succeeds again.
        freed = [s for phase, s in self.run_.status_polls if phase == "freed"]
        self.assertTrue(any(s["storage"]["last_error"] == "" for s in freed), freed[-1:])

    def test_a_flush_on_the_full_disk_is_not_acknowledged(self):
        reply = self.run_.flush_reply
        self.assertEqual(reply.returncode, 1, reply.stdout + reply.stderr)
        self.assertIn("flush failed", json.loads(reply.stdout)["text"])

    # max_rows_in_memory is a cap (docs/counters.md): with the disk full the
    # retained rows and the new table together stay within it.
    def test_rows_held_in_memory_stay_within_the_bound(self):
        held = [s["memory"]["rows"] + s["storage"]["retained_rows"] for s in self.full_polls()]
        self.assertLessEqual(max(held), MAX_ROWS + DISPATCH, held)


if __name__ == "__main__":
    harness.run_tests(require_root=True, require=("mount", "umount"))
