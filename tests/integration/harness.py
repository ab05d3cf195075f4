"""Shared helpers for teiten's integration tests: real binaries, temporary
directories, real SQLite files, network namespaces made by the test.

Environment (set by ctest): TEITEN_BUILD_DIR, TEITEN_SOURCE_DIR.
"""
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

BUILD = os.environ.get("TEITEN_BUILD_DIR", os.path.join(os.path.dirname(__file__), "../../build"))
SOURCE = os.environ.get("TEITEN_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../.."))
DATA = os.path.join(SOURCE, "tests", "data")
SHARED_PCAPS = "/work/shared/pcaps"
SKIP = 77


def binary(name):
    for sub in ("daemon/sensor", "daemon/collector", "daemon/ctl", "daemon/synth", "daemon/report"):
        path = os.path.join(BUILD, sub, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{name} not built under {BUILD}")


def sanitized():
    """True when the binaries under test were built with a sanitizer
    (TEITEN_SANITIZER in the build's CMake cache, scripts/test --sanitize).
    Their resident memory is then mostly the sanitizer's (shadow memory,
    redzones, ASan's quarantine of freed blocks, 256 MiB by default), so
    tests that bound a daemon's memory skip or widen that bound there."""
    try:
        with open(os.path.join(BUILD, "CMakeCache.txt")) as f:
            return any(line.startswith("TEITEN_SANITIZER:") and line.strip().split("=", 1)[1]
                       for line in f)
    except FileNotFoundError:
        return False


def time_scale():
    """How many times slower the binaries under test run than the normal
    build: ASan and UBSan make teiten two to three times slower, so tests
    that kill a daemon at random moments scale the moments, which then
    still fall where the test means them to (during flushes, shipping)."""
    return 3.0 if sanitized() else 1.0


def require_fault_hook(test, name, variable):
    """Fails `test` unless binary `name` carries the fault hook `variable`:
    hooks exist only in builds configured with -DTEITEN_FAULT_INJECTION=ON
    (scripts/test does), and without one the test would prove nothing."""
    with open(binary(name), "rb") as f:
        if variable.encode() not in f.read():
            test.fail(f"{name} was built without -DTEITEN_FAULT_INJECTION=ON, so it has no "
                      f"{variable} hook; configure the build with it (scripts/test does)")


def run_tests(require_root=False, require=()):
    """Runs the calling module's unittest cases; exits 77 (ctest skip) when
    a requirement is missing and not root, so a skipped test never passes
    silently; as root (CI) a missing tool fails."""
    if require_root and os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(SKIP)
    for tool in require:
        if shutil.which(tool) is None:
            # As root (CI) every tool is installed by scripts/setup: missing is a failure.
            if os.geteuid() == 0:
                print(f"FAILED: {tool} not installed (scripts/setup installs it)")
                sys.exit(1)
            print(f"skipped: {tool} not installed")
            sys.exit(SKIP)
    prog = unittest.main(module="__main__", exit=False, verbosity=2)
    sys.exit(0 if prog.result.wasSuccessful() else 1)


class TempDir:
    def __init__(self, prefix="teiten-it-"):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def file(self, name):
        return os.path.join(self.path, name)

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


class SensorCase(unittest.TestCase):
    """A TestCase whose every case has a temporary directory of its own
    (self.tmp, removed after the case) and the built teiten-sensor (self.sensor)."""

    def setUp(self):
        super().setUp()
        self.tmp = TempDir()
        self.sensor = binary("teiten-sensor")

    def tearDown(self):
        self.tmp.cleanup()
        super().tearDown()


def write_sensor_config(path, sensor_id="s01", timezone="UTC", db="sensor.db", flush="1s",
                        observed=None, ignore=None, interface=None, capture_extra="",
                        storage_extra="", extra=""):
    lines = [f"sensor: {{id: {sensor_id}, timezone: {timezone}}}", "capture:"]
    if interface:
        lines.append(f"  interface: {interface}")
    if observed:
        lines.append("  observed: [" + ", ".join(f'"{p}"' for p in observed) + "]")
    if ignore:
        lines.append("  ignore_sources: [" + ", ".join(f'"{p}"' for p in ignore) + "]")
    if capture_extra:
        lines.append("  " + capture_extra)
    if len(lines) == 2:
        lines.pop()
    lines.append(f"storage: {{path: {db}, flush_interval: {flush}{storage_extra}}}")
    if extra:
        lines.append(extra)
    # A live sensor opens its control socket; never the default one in /run
    # (another test or checkout may be using it). --read opens one only when
    # configured, so read-mode configs stay without.
    if interface and "control:" not in extra:
        sock = os.path.join(os.path.dirname(os.path.abspath(path)), "sensor-control.sock")
        lines.append(f"control: {{socket: {sock}}}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run(args, timeout=120, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def rollup(db, columns="day, proto, port, src, kind, accesses, first_seen, last_seen", where=""):
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as c:
        return sorted(c.execute(f"SELECT {columns} FROM rollup {where}").fetchall())


def query(db, sql, params=()):
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as c:
        return c.execute(sql, params).fetchall()


def wait_for(predicate, timeout=30.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Daemon:
    """A daemon started as a process; stopped (SIGTERM) or killed at exit."""

    def __init__(self, args, log_path, netns=None, env=None):
        self.log_path = log_path
        self.log = open(log_path, "w")
        cmd = (["ip", "netns", "exec", netns] if netns else []) + list(args)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, text, timeout=30.0):
        wait_for(lambda: text in self.log_text() or self.proc.poll() is not None, timeout,
                 what=f"'{text}' in {self.log_path}")
        if text not in self.log_text():
            raise AssertionError(f"daemon exited ({self.proc.returncode}) before '{text}':\n"
                                 + self.log_text())

    def stop(self, sig=signal.SIGTERM, timeout=60.0):
        if self.log.closed:
            return self.proc.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("daemon did not stop in time:\n" + self.log_text())
        self.log.close()
        return self.proc.returncode

    def kill9(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Netns:
    """Two network namespaces joined by a veth pair: `sender` and `sensor`."""

    def __init__(self, tag):
        suffix = f"{os.getpid() % 100000}{tag}"
        self.sender, self.sensor = f"tt-snd-{suffix}", f"tt-sen-{suffix}"
        self.if_sender, self.if_sensor = f"tvs{suffix}"[:15], f"tvr{suffix}"[:15]

    def __enter__(self):
        for ns in (self.sender, self.sensor):
            subprocess.run(["ip", "netns", "add", ns], check=True)
        subprocess.run(["ip", "link", "add", self.if_sender, "netns", self.sender, "type", "veth",
                        "peer", "name", self.if_sensor, "netns", self.sensor], check=True)
        for ns, ifname in ((self.sender, self.if_sender), (self.sensor, self.if_sensor)):
            subprocess.run(["ip", "-n", ns, "link", "set", ifname, "up"], check=True)
            subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        return self

    def __exit__(self, *exc):
        for ns in (self.sender, self.sensor):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def exec(self, ns, args, **kw):
        return run(["ip", "netns", "exec", ns] + list(args), **kw)


# --- collector and TLS -------------------------------------------------------

def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certs(directory, *sensor_ids, collector_names=("localhost", "127.0.0.1")):
    args = [os.path.join(SOURCE, "scripts", "make-certs")]
    for n in collector_names:
        args += ["--collector-name", n]
    r = run(args + [directory, *sensor_ids])
    if r.returncode != 0:
        raise AssertionError("make-certs failed: " + r.stderr)
    return directory


def write_collector_config(path, port, pki, sensors, db="collector.db", timezone="Asia/Tokyo",
                           listen_extra="", extra="", storage=None):
    """storage: the whole storage line (storage.py's backends give it); default an SQLite `db`."""
    text = (f"listen:\n  address: \"127.0.0.1:{port}\"\n  ca: {pki}/ca.pem\n"
            f"  cert: {pki}/collector.pem\n  key: {pki}/collector.key\n")
    if listen_extra:
        text += "  " + listen_extra + "\n"
    text += "sensors: [" + ", ".join(sensors) + "]\n"
    text += f"fleet: {{timezone: {timezone}}}\n"
    text += storage or f"storage: {{path: {db}}}\n"
    text += "log: {level: debug}\n" + extra
    # Never the default /run/teiten-collector/control.sock: tests running at
    # the same time (ctest -j, other checkouts) would take each other's.
    if "control:" not in extra:
        sock = os.path.join(os.path.dirname(os.path.abspath(path)), "collector-control.sock")
        text += f"control: {{socket: {sock}}}\n"
    with open(path, "w") as f:
        f.write(text)
    return path


def collector_section(port, pki, sensor_id, host="localhost", extra=""):
    """A sensor's collector: section; `port` may be a list, the addresses tried in its order."""
    if isinstance(port, (list, tuple)):
        address = "[" + ", ".join(f'"{host}:{p}"' for p in port) + "]"
    else:
        address = f'"{host}:{port}"'
    return (f"collector:\n  address: {address}\n  ca: {pki}/ca.pem\n"
            f"  cert: {pki}/{sensor_id}.pem\n  key: {pki}/{sensor_id}.key\n"
            f"  backoff_initial: 100ms\n  backoff_max: 1s\n" + (("  " + extra + "\n") if extra else ""))


def start_collector(config, log_path):
    daemon = Daemon([binary("teiten-collector"), "-c", config], log_path)
    daemon.wait_log("listening")
    return daemon


def truth_rows(csv_path, sensor):
    """Rows of a teiten-synth truth CSV in rollup-view column order."""
    import csv
    rows = []
    with open(csv_path) as f:
        for r in csv.DictReader(f):
            rows.append((r["day"], sensor, r["proto"], int(r["port"]), r["src"], r["kind"],
                         int(r["accesses"]), int(r["first_seen"]), int(r["last_seen"])))
    return sorted(rows)


def talot2_july(directory, sensors):
    """July 2010 of the talot2-2010 profile (ten sensors, one a VLAN trunk),
    generated into `directory`: the month's directory (pcaps, truth CSVs)
    and each sensor's view (observed, ignore_sources) by id."""
    subprocess.run([binary("teiten-synth"), "profile",
                    os.path.join(SOURCE, "config", "synth", "talot2-2010.yaml"),
                    "--out", directory], check=True, capture_output=True)
    traffic = os.path.join(directory, "2010-07")
    views = {}
    for sid in sensors:
        with open(os.path.join(traffic, f"{sid}.summary.json")) as f:
            views[sid] = json.load(f)["sensor_view"]
    return traffic, views


def fleet_truth(traffic, sensors):
    """The generator's rollup rows of these sensors, sorted."""
    rows = []
    for sid in sensors:
        rows += truth_rows(os.path.join(traffic, f"{sid}.truth.csv"), sid)
    return sorted(rows)


ROLLUP_ALL = "day, sensor, proto, port, src, kind, accesses, first_seen, last_seen"


TALOT2_SENSORS = [f"s{i:02d}" for i in range(1, 11)]


class Talot2Fleet:
    """The fleet tests' set-up, mixed in before unittest.TestCase: one
    directory per class with certificates for the ten talot2 sensors and
    their July 2010 traffic, generated once, with helpers to replay a
    sensor's month and check what arrived. A case's own files go in
    self.tmp, which the test's setUp makes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = TempDir("teiten-fleet-")
        cls.pki = make_certs(cls.shared.file("pki"), *TALOT2_SENSORS)
        cls.traffic, cls.fleet = talot2_july(cls.shared.file("traffic"), TALOT2_SENSORS)

    @classmethod
    def tearDownClass(cls):
        cls.shared.cleanup()
        super().tearDownClass()

    def pcap(self, sid):
        return os.path.join(self.traffic, f"{sid}.pcap")

    def expected(self, sids):
        return fleet_truth(self.traffic, sids)

    def start_sensor(self, sid, files, collector, ship_timeout, flush="1s"):
        """teiten-sensor --read FILES as sensor `sid` (its view of the
        network, Tokyo time, its database sid.db in self.tmp), shipping as
        the `collector` section says; its output is in stdout."""
        info = self.fleet[sid]
        config = write_sensor_config(self.tmp.file(f"{sid}.yaml"), sensor_id=sid,
                                     timezone="Asia/Tokyo", db=f"{sid}.db", flush=flush,
                                     observed=info["observed"], ignore=info["ignore_sources"],
                                     extra=collector)
        return subprocess.Popen([binary("teiten-sensor"), "-c", config, "--ship-timeout",
                                 str(ship_timeout), "--read", *files],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finish(self, procs, timeout=900):
        """Waits for the sensors {sid: Popen}; each must exit 0. Their output by sid."""
        outputs = {}
        for sid, p in procs.items():
            out, _ = p.communicate(timeout=timeout)
            self.assertEqual(p.returncode, 0, f"{sid}:\n{out}")
            outputs[sid] = out
        return outputs

    def assert_arrived_once(self, got, sids):
        """The collector's rollup rows `got` are the generator's truth for
        `sids` and the union of those sensors' own databases: nothing lost,
        nothing applied twice."""
        self.assertEqual(len(got), len(self.expected(sids)))
        self.assertEqual(got, self.expected(sids))
        union = []
        for sid in sids:
            union += rollup(self.tmp.file(f"{sid}.db"), ROLLUP_ALL)
        self.assertEqual(got, sorted(union))
