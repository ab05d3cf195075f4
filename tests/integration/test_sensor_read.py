"""teiten-sensor --read as a process: restarts, kill -9, the database lock,
unreadable inputs and exit codes (README.md, "Exit codes")."""
import glob
import json
import os
import random
import signal
import subprocess
import time

import harness
from harness import binary, query, rollup, run, write_sensor_config

SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")
DAYS = os.path.join(harness.DATA, "generated", "day-boundary-jst.pcap")


def coverage(db):
    return query(db, "SELECT day, coverage_seconds, packets, malformed, non_ip, ignored"
                     " FROM coverage ORDER BY day")


def counters(db):
    return query(db, "SELECT day, name, value FROM counters ORDER BY day, name")


class SensorReadTest(harness.SensorCase):
    def config(self, name="sensor.yaml", **kw):
        return write_sensor_config(self.tmp.file(name), timezone="Asia/Tokyo", **kw)

    def replay(self, config, *files, expect=0):
        r = run([self.sensor, "-c", config, "--read", *files])
        self.assertEqual(r.returncode, expect, r.stderr)
        return r

    def test_pieces_replayed_one_by_one_equal_one_replay(self):
        pieces_dir = self.tmp.file("pieces")
        os.mkdir(pieces_dir)
        for src in (SCAN, DAYS):
            base = os.path.basename(src)
            subprocess.run(["editcap", "-F", "pcap", "-c", "97", src,
                            os.path.join(pieces_dir, base)], check=True)
        pieces = sorted(glob.glob(os.path.join(pieces_dir, "*")))
        self.assertGreater(len(pieces), 20)

        whole = self.config("whole.yaml", db="whole.db")
        self.replay(whole, SCAN, DAYS)
        split = self.config("split.yaml", db="split.db")
        random.Random(7).shuffle(pieces)  # order must not matter either
        for piece in pieces:
            self.replay(split, piece)

        self.assertTrue(rollup(self.tmp.file("whole.db")))
        self.assertEqual(rollup(self.tmp.file("split.db")), rollup(self.tmp.file("whole.db")))
        self.assertEqual(coverage(self.tmp.file("split.db")), coverage(self.tmp.file("whole.db")))
        self.assertEqual(counters(self.tmp.file("split.db")), counters(self.tmp.file("whole.db")))

    def test_kill9_at_any_moment_leaves_a_consistent_database(self):
        synth = binary("teiten-synth")
        out = self.tmp.file("synth")
        subprocess.run([synth, "bench-small", "--packets", "800000", "--out", out], check=True,
                       capture_output=True)
        capture = glob.glob(os.path.join(out, "*.pcap"))[0]
        # Small in-memory limit: many commits happen during one replay.
        config = self.config(db="k.db", storage_extra=", max_rows_in_memory: 20000")
        rng = random.Random(11)
        for attempt in range(4):
            proc = subprocess.Popen([self.sensor, "-c", config, "--read", capture],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.2, 1.5) * harness.time_scale())
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            db = self.tmp.file("k.db")
            self.assertEqual(query(db, "PRAGMA integrity_check"), [("ok",)])
            # Rows and day stats commit together: every packet of a committed
            # flush is in exactly one category.
            packets, = query(db, "SELECT coalesce(sum(packets), 0) FROM coverage")[0]
            counted, = query(db, "SELECT coalesce(sum(accesses), 0) FROM rollup")[0]
            others, = query(db, "SELECT coalesce(sum(malformed + non_ip + ignored), 0) FROM coverage")[0]
            self.assertEqual(packets, counted + others, f"attempt {attempt}")
        # The lock died with the process: a new run opens the database.
        self.replay(config, DAYS)

    def test_a_second_process_on_the_same_database_is_refused(self):
        fifo = self.tmp.file("slow.pcap")
        os.mkfifo(fifo)
        config = self.config(db="locked.db")
        first = subprocess.Popen([self.sensor, "-c", config, "--read", fifo],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            harness.wait_for(lambda: os.path.exists(self.tmp.file("locked.db.lock")), 10,
                             what="the first sensor to lock its database")
            time.sleep(0.3)
            second = run([self.sensor, "-c", config, "--read", DAYS])
            self.assertEqual(second.returncode, 1)
            self.assertIn("in use by another process", second.stderr)
            self.assertIn(f"pid {first.pid}", second.stderr)
        finally:
            with open(fifo, "wb") as f, open(DAYS, "rb") as src:
                f.write(src.read())
            _, err = first.communicate(timeout=30)
        self.assertEqual(first.returncode, 0, err)

    def test_unreadable_files_give_exit_4_name_the_file_and_keep_the_rest(self):
        bad = self.tmp.file("garbage.pcap")
        with open(bad, "wb") as f:
            f.write(b"this is not a capture file at all")
        truncated = self.tmp.file("truncated.pcap")
        with open(SCAN, "rb") as src, open(truncated, "wb") as f:
            data = src.read()
            f.write(data[: len(data) // 2 + 7])  # cut inside a record
        config = self.config(db="bad.db")
        r = self.replay(config, DAYS, bad, truncated, SCAN, expect=4)
        self.assertIn(bad, r.stderr)
        self.assertIn("truncated.pcap", r.stderr)
        reference = self.config("ref.yaml", db="ref.db")
        self.replay(reference, DAYS, SCAN)
        got = {row[:5]: row[5] for row in rollup(self.tmp.file("bad.db"))}
        ref = {row[:5]: row[5] for row in rollup(self.tmp.file("ref.db"))}
        # Everything of the good files is there, plus what the cut file held.
        for key, accesses in ref.items():
            self.assertGreaterEqual(got.get(key, 0), accesses, key)
        self.assertGreater(sum(got.values()), sum(ref.values()))

    def test_reloads_while_reading_a_pipe_keep_the_replay_going(self):
        # SIGHUP reaches the thread waiting in read() on the pipe; it used
        # to fail that read (EINTR) and end the replay as a read error.
        config = self.config(db="pipe.db")
        log = open(self.tmp.file("pipe.log"), "w")
        proc = subprocess.Popen([self.sensor, "-c", config, "--read", "-"],
                                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        with open(SCAN, "rb") as f:
            data = f.read()
        half = len(data) // 2
        proc.stdin.write(data[:half])
        proc.stdin.flush()
        text = lambda: open(self.tmp.file("pipe.log")).read()  # noqa: E731
        harness.wait_for(lambda: "read_start" in text(), 30, what="the replay to start")
        for n in range(1, 4):
            time.sleep(0.2)
            proc.send_signal(signal.SIGHUP)
            harness.wait_for(lambda: text().count('origin="SIGHUP"') >= n, 30,
                             what=f"reload {n} to be applied")
        proc.stdin.write(data[half:])
        proc.stdin.close()
        self.assertEqual(proc.wait(timeout=60), 0, text())
        self.replay(self.config("ref.yaml", db="ref.db"), SCAN)
        self.assertEqual(rollup(self.tmp.file("pipe.db")), rollup(self.tmp.file("ref.db")))

    def test_missing_file_and_empty_capture(self):
        config = self.config(db="m.db")
        r = self.replay(config, self.tmp.file("nope.pcap"), expect=4)
        self.assertIn("nope.pcap", r.stderr)
        empty = os.path.join(harness.DATA, "zeek-empty-0pkts.pcap")
        if os.path.exists(empty):
            self.replay(config, empty)

    def test_config_check_mode(self):
        good = self.config()
        r = run([self.sensor, "-c", good, "-t", "--read", DAYS])
        self.assertEqual(r.returncode, 0, r.stderr)
        bad = self.tmp.file("bad.yaml")
        with open(bad, "w") as f:
            f.write("sensor: {id: s01, timezone: Asia/Tokio}\ncapture:\n  snaplen: 7\n  color: red\n")
        r = run([self.sensor, "-c", bad, "-t", "--read", DAYS])
        self.assertEqual(r.returncode, 2)
        lines = [l for l in r.stderr.splitlines() if l.startswith(bad + ":")]
        self.assertGreaterEqual(len(lines), 3, r.stderr)
        self.assertIn(f"{bad}:1:", lines[0])
        self.assertFalse(os.path.exists(self.tmp.file("sensor.db")), "-t must not create files")

    def test_a_stop_request_ends_the_wait_for_acknowledgements_and_keeps_the_batches(self):
        # Issue 12, defect 1: collector down, --ship-timeout 200. The control
        # socket answers top and flush in that phase (not after the server's
        # 10 s deadline), SIGTERM ends the wait at once with exit 3, and the
        # batches stay queued for the next run.
        pki = harness.make_certs(self.tmp.file("pki"), "s01")
        sock = self.tmp.file("control.sock")
        config = self.config(extra=harness.collector_section(harness.free_port(), pki, "s01")
                             + f"control: {{socket: {sock}}}\n")
        log = self.tmp.file("sensor.log")
        daemon = harness.Daemon([self.sensor, "-c", config, "--ship-timeout", "200", "--read", SCAN],
                                log)
        try:
            daemon.wait_log("waiting_for_acknowledgements")
            ctl = binary("teitenctl")
            # A handler silent past the server's deadline is answered result 1;
            # top has no probes today (result 3), flush committed nothing new.
            for command, results in (("top", (0, 3)), ("flush", (0,))):
                r = run([ctl, "-s", sock, "--json", command], timeout=60)
                reply = json.loads(r.stdout)
                self.assertIn(reply["result"], results, (command, reply))
            daemon.proc.send_signal(signal.SIGTERM)
            code = daemon.proc.wait(30)  # far below --ship-timeout 200
        finally:
            daemon.kill9()
        text = daemon.log_text()
        self.assertEqual(code, 3, text)
        self.assertIn("signal name=SIGTERM action=stop", text)
        self.assertIn("acknowledgement_wait_ended by=stop_request", text)
        queued = query(self.tmp.file("sensor.db"), "SELECT count(*) FROM outbox")[0][0]
        self.assertGreater(queued, 0)
        self.assertIn(f"batches={queued} ", text.split("acknowledgement_wait_ended")[1])


if __name__ == "__main__":
    harness.run_tests(require=("editcap",))
