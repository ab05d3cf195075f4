"""The soak (scripts/soak MINUTES): ten sensors and a collector on loopback,
generated traffic streamed into the sensors for MINUTES, while the sensors
and the collector are killed (-9), stopped, reloaded and restarted with
changed configurations at random moments. At the end the collector's
rollup must equal the generator's ground truth exactly, and no process
that lived through the quiet last part may have grown its memory (RSS at
the end within 10% of RSS after warm-up). docs/testing.md explains the design.

Why the ground truth stays exact although sensors die mid-stream: each
sensor reads a pcap stream on its standard input (`--read -`), paced over
the run. A sensor commits what it counted in one transaction per flush, and
every flush hands over everything counted so far, or (at a new day) every
day before the newest; the stream is in time order, so what a database
holds is always exactly the first P frames of the stream, and its
`coverage` view says P (the sum of `packets`, every frame libpcap
delivered). A restarted sensor is therefore fed from frame P on: nothing is
counted twice or lost, whatever moment the kill hit. That the collector then
holds every row exactly once is what the soak tests.

Python 3 standard library only; the binaries come from TEITEN_BUILD_DIR.
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402
from capture_stream import CaptureStream  # noqa: E402
from harness import ROLLUP_ALL, binary, query, rollup  # noqa: E402

RSS_GROWTH_LIMIT = 1.10
# SQLite's page cache limits (cache_size in common/store: collector, sensor), KiB.
PAGE_CACHE_KIB = {"collector": 64 * 1024, "sensor": 16 * 1024}
# Each sensor is fed about this many frames a second, at least the whole
# profile once (its six months are about 92,000 frames per sensor).
FRAMES_PER_SECOND = 1000
PROFILE = "talot2-2010.yaml"
PROFILE_FRAMES_PER_SENSOR = 92_000


# --- traffic -----------------------------------------------------------------

class Traffic:
    """Capture files per sensor in time order, their truth CSVs, the
    configuration their truth assumes, and the fleet's time zone."""

    def __init__(self):
        self.zone = None
        self.sensors = {}  # id -> {"observed": [...], "ignore_sources": [...]}
        self.captures = {}  # id -> [pcap paths in time order]
        self.truths = {}  # id -> [truth CSV paths]


def profile_traffic(out_dir, frames_per_sensor, seed):
    """teiten-synth profile with config/synth/talot2-2010.yaml, its monthly
    targets scaled up when the run needs more frames than the profile has."""
    with open(os.path.join(harness.SOURCE, "config", "synth", PROFILE)) as f:
        text = f.read()
    factor = max(1.0, frames_per_sensor / PROFILE_FRAMES_PER_SENSOR)

    def scale_month(line):
        if not re.match(r"\s*- \{month: ", line):
            return line
        return re.sub(r"(accesses|sources): (\d+)",
                      lambda m: f"{m.group(1)}: {round(int(m.group(2)) * factor)}", line)

    scaled = "\n".join(scale_month(line) for line in text.split("\n"))
    profile = os.path.join(out_dir, PROFILE)
    os.makedirs(out_dir, exist_ok=True)
    with open(profile, "w") as f:
        f.write(scaled)
    subprocess.run([binary("teiten-synth"), "profile", profile, "--out", out_dir, "--seed",
                    str(seed)], check=True, capture_output=True)
    with open(os.path.join(out_dir, "profile.json")) as f:
        fleet = json.load(f)
    t = Traffic()
    t.zone = fleet["timezone"]
    for sensor in fleet["sensors"]:
        sid = sensor["id"]
        t.sensors[sid] = {"observed": sensor["observed"], "ignore_sources": sensor["ignore_sources"]}
        for month in fleet["months"]:
            base = os.path.join(out_dir, month["month"], sid)
            t.captures.setdefault(sid, []).append(base + ".pcap")
            t.truths.setdefault(sid, []).append(base + ".truth.csv")
    return t


# --- processes -----------------------------------------------------------------

class Instance:
    """One process of a daemon: what it was started with, and its memory
    beside the size of its database."""

    def __init__(self, name, proc, variant, db):
        self.name, self.proc, self.variant, self.db = name, proc, variant, db
        self.started = time.monotonic()
        self.samples = []  # (monotonic time, RSS KiB, database KiB)
        self.signals = []

    def sample(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            return
        db = sum(os.path.getsize(p) for p in (self.db, self.db + "-wal") if os.path.exists(p))
        self.samples.append((time.monotonic(), rss, db // 1024))

    def at(self, t):
        """(RSS, database size) in KiB as last sampled at or before t."""
        before = [(rss, db) for when, rss, db in self.samples if when <= t]
        return before[-1] if before else None


class Schedule:
    """When each frame is due: every stream advances evenly over `seconds`
    from `start`, so all sensors end together."""

    def __init__(self, start, seconds):
        self.start, self.seconds = start, seconds

    def due(self, total):
        done = (time.monotonic() - self.start) / self.seconds
        return total if done >= 1 else int(total * max(done, 0.0))


class Soak:
    def __init__(self, minutes, work, sensors=10, seed=1):
        self.work = work
        self.rng = random.Random(seed)
        self.feed_seconds = max(30.0, minutes * 60 - 15)
        # Kills and restarts in the first part; the rest is quiet, so the
        # processes that live through it show whether memory grows.
        self.chaos_end = 0.55 * self.feed_seconds
        self.warm = self.chaos_end + 0.25 * (self.feed_seconds - self.chaos_end)
        self.lock = threading.Lock()
        self.instances = []
        self.errors = []
        self.events = {"sensor_kill9": 0, "sensor_term": 0, "sensor_reload": 0,
                       "collector_kill9": 0, "collector_term": 0, "sensor_starts": 0,
                       "collector_starts": 0}
        self.port = harness.free_port()
        self.collector = None
        self.stop = threading.Event()

        os.makedirs(work, exist_ok=True)
        frames = int(FRAMES_PER_SECOND * self.feed_seconds)
        self.traffic = profile_traffic(os.path.join(work, "traffic"), frames, seed)
        self.ids = sorted(self.traffic.sensors)[:sensors]
        self.zone = self.traffic.zone
        self.pki = harness.make_certs(os.path.join(work, "pki"), *self.ids)
        self.streams = {sid: CaptureStream(self.traffic.captures[sid]) for sid in self.ids}
        self.collector_db = os.path.join(work, "collector.db")

    # -- bookkeeping
    def error(self, text):
        with self.lock:
            self.errors.append(text)
        print("soak: ERROR " + text, flush=True)

    def count(self, event):
        with self.lock:
            self.events[event] += 1

    def log(self, text):
        print(f"soak: {time.monotonic() - self.t0:7.1f}s {text}", flush=True)

    # -- the collector
    def collector_config(self):
        v = {"idle_timeout": self.rng.choice(["30s", "2m"]),
             "handshake_timeout": self.rng.choice(["5s", "10s"]),
             "max_connections": self.rng.choice([64, 1024])}
        listen = "\n  ".join(f"{k}: {val}" for k, val in v.items())
        path = os.path.join(self.work, "collector.yaml")
        harness.write_collector_config(path, self.port, self.pki, self.rng.sample(self.ids, len(self.ids)),
                                       db=self.collector_db, timezone=self.zone, listen_extra=listen)
        return path, v

    def start_collector(self):
        path, variant = self.collector_config()
        n = self.events["collector_starts"]
        log = open(os.path.join(self.work, f"collector-{n}.log"), "w")
        proc = subprocess.Popen([binary("teiten-collector"), "-c", path], stdout=log,
                                stderr=subprocess.STDOUT)
        log.close()
        inst = Instance("collector", proc, variant, self.collector_db)
        with self.lock:
            self.instances.append(inst)
            self.collector = inst
        self.count("collector_starts")
        self.log(f"collector started pid={proc.pid} {variant}")

    # -- the sensors
    def sensor_config(self, sid, variant=None):
        v = variant or {"flush_interval": self.rng.choice(["1s", "2s", "5s"]),
                        "max_rows_in_memory": self.rng.choice([2000, 20000, 4000000]),
                        "batch_rows": self.rng.choice([50, 500, 5000]),
                        "level": self.rng.choice(["info", "debug"])}
        view = self.traffic.sensors[sid]
        extra = harness.collector_section(self.port, self.pki, sid,
                                          extra=f"batch_rows: {v['batch_rows']}")
        extra += f"log: {{level: {v['level']}}}"
        harness.write_sensor_config(
            os.path.join(self.work, f"{sid}.yaml"), sensor_id=sid, timezone=self.zone,
            db=f"{sid}.db", flush=v["flush_interval"], observed=view["observed"],
            ignore=view["ignore_sources"],
            storage_extra=f", max_rows_in_memory: {v['max_rows_in_memory']}", extra=extra)
        return os.path.join(self.work, f"{sid}.yaml"), v

    def committed(self, sid):
        """Frames the sensor's database holds: the first P of its stream."""
        db = os.path.join(self.work, f"{sid}.db")
        if not os.path.exists(db):
            return 0
        # A sensor killed between creating the file and its schema leaves a
        # database without tables, which holds no frame.
        if query(db, "SELECT count(*) FROM sqlite_master")[0][0] == 0:
            return 0
        return query(db, "SELECT coalesce(sum(packets), 0) FROM coverage")[0][0]

    def run_sensor(self, sid):
        stream = self.streams[sid]
        runs = 0
        previous = 0
        while True:
            start = self.committed(sid)
            if start < previous or start > stream.total:
                return self.error(f"{sid}: the database holds {start} frames after {previous}")
            previous = start
            config, variant = self.sensor_config(sid)
            log = open(os.path.join(self.work, f"{sid}-{runs}.log"), "w")
            proc = subprocess.Popen([binary("teiten-sensor"), "-c", config, "--ship-timeout", "120",
                                     "--read", "-"], stdin=subprocess.PIPE, stdout=log,
                                    stderr=subprocess.STDOUT, cwd=self.work)
            log.close()
            inst = Instance(sid, proc, variant, os.path.join(self.work, f"{sid}.db"))
            with self.lock:
                self.instances.append(inst)
            self.count("sensor_starts")
            fed_all = self.feed(inst, stream, start)
            code = proc.wait()
            runs += 1
            stopped = [s for s in inst.signals if s != signal.SIGHUP]
            if code == 0 and fed_all:
                if self.committed(sid) != stream.total:
                    self.error(f"{sid}: exit 0 with {self.committed(sid)} of {stream.total} frames")
                return
            expected = {3} if fed_all else set()
            if signal.SIGKILL in stopped:
                expected.add(-signal.SIGKILL)
            if signal.SIGTERM in stopped:
                expected |= {0, 3, 4}
            if code not in expected:
                self.error(f"{sid}: run {runs - 1} exited {code} (fed all: {fed_all}, "
                           f"signals {stopped}); see {sid}-{runs - 1}.log")
                if runs > 50:
                    return
            if not stopped:
                time.sleep(0.5)  # exit 3: the collector was away; ship on the next run

    def feed(self, inst, stream, start):
        """Writes the stream from frame `start` as it falls due; True once every
        frame went in and standard input was closed."""
        proc = inst.proc
        try:
            proc.stdin.write(stream.header)
            at = start
            while at < stream.total:
                due = self.schedule.due(stream.total)
                if due <= at:
                    if proc.poll() is not None:
                        return False
                    time.sleep(0.05)
                    continue
                for piece, n in stream.frames(at, due):
                    proc.stdin.write(piece)
                    at += n
                proc.stdin.flush()
            proc.stdin.flush()
            inst.fed_all_at = time.monotonic()
            inst.sample()  # the RSS at the end of the traffic
            proc.stdin.close()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    # -- chaos
    def live_sensors(self):
        with self.lock:
            return [i for i in self.instances if i.name != "collector" and i.proc.poll() is None]

    def chaos(self):
        while not self.stop.wait(self.rng.uniform(1.5, 5.0)):
            if time.monotonic() - self.t0 > self.chaos_end:
                return
            roll = self.rng.random()
            if roll < 0.25:
                self.bounce_collector(signal.SIGKILL if roll < 0.18 else signal.SIGTERM)
                continue
            sensors = self.live_sensors()
            if not sensors:
                continue
            victim = self.rng.choice(sensors)
            if roll < 0.80:
                sig, event = signal.SIGKILL, "sensor_kill9"
            elif roll < 0.90:
                sig, event = signal.SIGTERM, "sensor_term"
            else:
                self.sensor_config(victim.name)  # what the reload reads
                sig, event = signal.SIGHUP, "sensor_reload"
            victim.signals.append(sig)
            try:
                victim.proc.send_signal(sig)
            except ProcessLookupError:
                continue
            self.count(event)
            self.log(f"{event} {victim.name} pid={victim.proc.pid}")

    def bounce_collector(self, sig):
        inst = self.collector
        inst.signals.append(sig)
        inst.proc.send_signal(sig)
        code = inst.proc.wait(timeout=60)
        if sig == signal.SIGTERM and code != 0:
            self.error(f"collector exited {code} on SIGTERM")
        self.count("collector_kill9" if sig == signal.SIGKILL else "collector_term")
        self.log(f"collector {'kill9' if sig == signal.SIGKILL else 'term'} exit={code}")
        time.sleep(self.rng.uniform(0.2, 3.0))  # sensors meet a closed port meanwhile
        self.start_collector()

    def sample_memory(self):
        while not self.stop.wait(1.0):
            with self.lock:
                live = [i for i in self.instances if i.proc.poll() is None]
            for inst in live:
                inst.sample()

    # -- the run
    def run(self):
        self.t0 = time.monotonic()
        self.start_collector()
        self.schedule = Schedule(self.t0 + 2.0, self.feed_seconds)
        helpers = [threading.Thread(target=self.chaos, daemon=True),
                   threading.Thread(target=self.sample_memory, daemon=True)]
        runners = [threading.Thread(target=self.run_sensor, args=(sid,)) for sid in self.ids]
        for t in helpers + runners:
            t.start()
        for t in runners:
            t.join()
        self.stop.set()
        for t in helpers:
            t.join()
        self.log("every stream delivered and acknowledged")
        self.collector.sample()
        self.check_truth()
        self.check_memory()
        self.collector.proc.send_signal(signal.SIGTERM)
        code = self.collector.proc.wait(60)
        if code != 0:
            self.error(f"collector exited {code} on the final SIGTERM")
        return self.report()

    def check_truth(self):
        expected = []
        for sid in self.ids:
            for path in self.traffic.truths[sid]:
                expected += harness.truth_rows(path, sid)
        expected.sort()
        got = rollup(self.collector_db, ROLLUP_ALL)
        self.rows = len(got)
        if got != expected:
            missing = len(set(expected) - set(got))
            extra = len(set(got) - set(expected))
            self.error(f"collector rollup differs from the truth: {len(got)} rows, "
                       f"{len(expected)} expected, {missing} missing or different, {extra} extra")
        for sid in self.ids:
            cov = "SELECT day, packets, malformed, non_ip, ignored FROM coverage"
            at_collector = query(self.collector_db, cov + " WHERE sensor = ? ORDER BY day", (sid,))
            at_sensor = query(os.path.join(self.work, f"{sid}.db"), cov + " ORDER BY day")
            if at_collector != at_sensor:
                self.error(f"{sid}: the collector's coverage differs from the sensor's")
            frames = sum(r[1] for r in at_collector)
            if frames != self.streams[sid].total:
                self.error(f"{sid}: {frames} frames counted of {self.streams[sid].total}")

    def check_memory(self):
        """SQLite's page cache fills with the pages touched, up to its
        cache_size, also long after the database has outgrown that size: a
        20-minute soak's collector went from 38 to 90 MiB while its database
        grew from 202 to 654 MiB. How full the cache was at warm-up is not
        known from outside, so what it could still add (up to the smaller of
        the database at the end and cache_size) is allowed on top of the 10%."""
        warm = self.t0 + self.warm
        self.memory = []
        for inst in self.instances:
            if inst.name == "collector":
                end_at = time.monotonic() if inst is self.collector else None
            else:
                stopped = set(inst.signals) - {signal.SIGHUP}
                end_at = None if stopped else getattr(inst, "fed_all_at", None)
            if end_at is None or inst.started > warm:
                continue
            first, last = inst.at(warm), inst.at(end_at)
            if first is None or last is None:
                continue
            cap = PAGE_CACHE_KIB["collector" if inst.name == "collector" else "sensor"]
            allowed = first[0] * RSS_GROWTH_LIMIT + min(last[1], cap)
            self.memory.append((inst.name, inst.proc.pid, first, last, allowed))
            # Under a sanitizer RSS is mostly ASan's (its quarantine of freed
            # blocks grows to 256 MiB); LeakSanitizer checks at each exit there.
            if last[0] > allowed and not harness.sanitized():
                self.error(f"{inst.name} pid {inst.proc.pid}: RSS grew from {first[0]} KiB after "
                           f"warm-up to {last[0]} KiB at the end (database {first[1]} -> "
                           f"{last[1]} KiB, allowed {allowed:.0f} KiB)")
        if not any(m[0] == "collector" for m in self.memory):
            self.error("the collector was not measured through the quiet part")
        if len(self.memory) < len(self.ids) + 1:
            self.error(f"only {len(self.memory) - 1} of {len(self.ids)} sensors were measured "
                       "through the quiet part")

    def report(self):
        frames = sum(s.total for s in self.streams.values())
        print(f"soak: {len(self.ids)} sensors, {frames} frames over {self.feed_seconds:.0f}s, "
              f"{self.rows} rollup rows; events {json.dumps(self.events)}")
        for name, pid, first, last, allowed in self.memory:
            print(f"soak: rss {name} pid {pid}: {first[0]} KiB after warm-up, {last[0]} KiB at "
                  f"the end ({(last[0] - first[0]) * 100.0 / first[0]:+.1f}%; database "
                  f"{first[1]} -> {last[1]} KiB; allowed {allowed:.0f} KiB)")
        if self.errors:
            print(f"soak: FAILED with {len(self.errors)} errors")
            for e in self.errors:
                print("  " + e)
            return 1
        if self.events["sensor_kill9"] == 0 or self.events["collector_kill9"] + \
                self.events["collector_term"] == 0:
            print("soak: FAILED: the chaos never hit both sides")
            return 1
        print("soak: passed")
        return 0
