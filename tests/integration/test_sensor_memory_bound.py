"""storage.max_rows_in_memory is a bound (config/sensor.yaml): the rows
the capture is counting plus the rows handed to the store thread and not
yet committed never exceed it, whatever the store's speed; the counts stay
exact; status and the metrics report the peak beside the setting."""
import json
import os
import subprocess
import threading

import harness
from harness import TempDir, binary, query, rollup, run, write_sensor_config

LIMIT = 1000  # the smallest the configuration accepts


def peak_logged(stderr):
    for line in stderr.splitlines():
        if " stop " in f" {line} " and "peak_rows_in_memory=" in line:
            return int(line.split("peak_rows_in_memory=")[1].split()[0])
    raise AssertionError("no stop line with peak_rows_in_memory:\n" + stderr[-3000:])


def metric(path, name):
    with open(path) as f:
        for line in f:
            if line.startswith(name + " "):
                return float(line.split()[1])
    raise AssertionError(f"{name} not in {path}")


class MemoryBoundTest(harness.SensorCase):
    @classmethod
    def setUpClass(cls):
        cls.data = TempDir("teiten-bound-data-")
        out = cls.data.file("synth")
        # The small-sensor mix: a new row for almost every packet, so the
        # capture outruns SQLite and the bound has to hold the capture back.
        subprocess.run([binary("teiten-synth"), "bench-small", "--packets", "150000", "--out", out],
                       check=True, capture_output=True)
        cls.capture = os.path.join(out, "bench-small.pcap")
        with open(os.path.join(out, "bench-small.summary.json")) as f:
            cls.summary = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.data.cleanup()

    def test_rows_held_never_exceed_the_setting_and_counts_stay_exact(self):
        prom = self.tmp.file("sensor.prom")
        bounded = write_sensor_config(self.tmp.file("bounded.yaml"), db="bounded.db", flush="1h",
                                      storage_extra=f", max_rows_in_memory: {LIMIT}",
                                      extra=f"metrics: {{textfile: {prom}}}")
        r = run([self.sensor, "-c", bounded, "--read", self.capture], timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        peak = peak_logged(r.stderr)
        self.assertLessEqual(peak, LIMIT)
        self.assertGreater(peak, LIMIT // 4, "the bound should be used, not avoided")
        self.assertEqual(metric(prom, "teiten_sensor_peak_rows_in_memory"), peak)
        self.assertEqual(metric(prom, "teiten_sensor_max_rows_in_memory"), LIMIT)

        # Exact all the same: every row as the generator made it, and equal
        # to a replay that never reached its bound.
        db = self.tmp.file("bounded.db")
        self.assertEqual(query(db, "SELECT count(*) FROM tally")[0][0],
                         self.summary["distinct_rows"])
        free = write_sensor_config(self.tmp.file("free.yaml"), db="free.db", flush="1h")
        r = run([self.sensor, "-c", free, "--read", self.capture], timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(rollup(db), rollup(self.tmp.file("free.db")))

    def test_status_shows_the_peak_beside_the_setting(self):
        # Read from a FIFO so the sensor is still running when asked.
        fifo = self.tmp.file("input.pcap")
        os.mkfifo(fifo)
        sock = self.tmp.file("control.sock")
        config = write_sensor_config(self.tmp.file("s.yaml"), flush="1h",
                                     storage_extra=f", max_rows_in_memory: {LIMIT}",
                                     extra=f"control: {{socket: {sock}}}")
        with open(self.capture, "rb") as f:
            data = f.read()
        proc = subprocess.Popen([self.sensor, "-c", config, "--read", fifo],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stderr = []
        reader = threading.Thread(target=lambda: stderr.append(proc.stderr.read()))
        reader.start()
        try:
            with open(fifo, "wb") as w:
                w.write(data[:len(data) // 2])
                w.flush()
                harness.wait_for(lambda: os.path.exists(sock), 20, what="the control socket")

                def status():
                    s = run([binary("teitenctl"), "-s", sock, "--json", "status"])
                    self.assertEqual(s.returncode, 0, s.stderr)
                    return json.loads(s.stdout)["arguments"]["memory"]

                harness.wait_for(lambda: status()["peak_rows"] > LIMIT // 4, 30,
                                 what="rows counted")
                memory = status()
                w.write(data[len(data) // 2:])
            self.assertEqual(proc.wait(120), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            reader.join()
        self.assertEqual(memory["max_rows"], LIMIT)
        self.assertLessEqual(memory["peak_rows"], LIMIT)
        self.assertLessEqual(memory["rows"] + memory["rows_uncommitted"], LIMIT)
        self.assertLessEqual(peak_logged(stderr[0]), LIMIT)


if __name__ == "__main__":
    harness.run_tests()
