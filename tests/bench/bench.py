#!/usr/bin/env python3
"""teiten's benchmark (docs/performance.md), run by scripts/bench.

Every figure is the median of --runs runs and stands beside the floor
measured in the same session: a bare libpcap read loop over the same file
(teiten-bench-floor), interleaved with the runs it is compared to, so a
noisy shared machine slows both alike. Targets are goals, not tests: the
script always exits 0 and says which were met.

  bench.py --build BUILD_DIR --out OUT_DIR [--runs 5] [--packets 5000000]
"""
import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import bench_postgres

MIB = 1024 * 1024


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def tcpdump_args(path):
    """The reference run: tcpdump reads `path` through a BPF probe filter
    (SYN without ACK and RST; IPv4, tcpdump's tcp[] has no IPv6). Never a
    named output file: tcpdump started as root hands the file it opened to
    its own user (-w /dev/null made /dev/null owned by tcpdump). "-w -"
    writes to the stdout it is given (discarded), and -Z root keeps it from
    switching user at all (tests/integration/test_bench_host.py)."""
    flt = "tcp[tcpflags] & (tcp-syn) != 0 and tcp[tcpflags] & (tcp-ack|tcp-rst) == 0"
    return ["tcpdump", "-n", "-q", "-Z", "root", "-r", path, "-w", "-", flt]


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.out = os.path.abspath(args.out)
        self.source = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
        self.data = os.path.join(self.out, "data")
        self.work = os.path.join(self.out, "work")
        os.makedirs(self.data, exist_ok=True)
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        self.results = {"machine": machine(), "runs": args.runs, "rows": []}

    def bin(self, name):
        for sub in ("daemon/sensor", "daemon/collector", "daemon/synth", "daemon/report",
                    "tests/bench"):
            path = os.path.join(self.build, sub, name)
            if os.path.exists(path):
                return path
        raise SystemExit(f"bench: {name} is not built in {self.build}")

    # --- inputs ------------------------------------------------------------

    def bench_file(self, mix):
        directory = os.path.join(self.data, f"{mix}-{self.args.packets}")
        path = os.path.join(directory, f"bench-{mix}.pcap")
        if not os.path.exists(path):
            log(f"bench: generating the {mix} mix ({self.args.packets} packets)")
            subprocess.run([self.bin("teiten-synth"), f"bench-{mix}", "--packets",
                            str(self.args.packets), "--out", directory],
                           check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(directory, f"bench-{mix}.summary.json")) as f:
            summary = json.load(f)
        return path, summary

    @staticmethod
    def warm(path):
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass

    # --- one measured process ----------------------------------------------

    @staticmethod
    def timed(args, stdout_null=False, **kw):
        """(seconds, peak RSS in bytes, stdout+stderr) of one process."""
        start = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL if stdout_null else subprocess.PIPE,
                                stderr=subprocess.PIPE if stdout_null else subprocess.STDOUT, **kw)
        if stdout_null:
            proc.stdout = proc.stderr
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"{args[0]} exited {proc.returncode}:\n{out.decode()[-2000:]}")
        return seconds, usage.ru_maxrss * 1024, out.decode()

    def floor(self, path):
        return self.timed([self.bin("teiten-bench-floor"), path])[0]

    def sensor_replay(self, path, name):
        db = os.path.join(self.work, f"{name}.db")
        for suffix in ("", "-wal", "-shm", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(db + suffix)
        config = os.path.join(self.work, f"{name}.yaml")
        with open(config, "w") as f:
            # Defaults everywhere but the path: what an operator would run.
            f.write(f"sensor: {{id: bench, timezone: UTC}}\nstorage: {{path: {db}}}\n"
                    "log: {level: info}\n")
        seconds, rss, out = self.timed([self.bin("teiten-sensor"), "-c", config, "--read", path])
        peak = int(re.search(r"peak_rows_in_memory=(\d+)", out).group(1))
        with contextlib.closing(sqlite3.connect(db)) as c:
            rows = c.execute("SELECT count(*) FROM tally").fetchone()[0]
        return seconds, rss, rows, peak

    def sqlite_limit(self, name):
        """SQLite's own sorted bulk upsert of the rows a replay committed, into
        the same schema with the same pragmas (common/store/database.cpp,
        sensor_store.cpp) in one transaction: the `sqlite3` shell, whole
        process, reading them from the replay's database in key order."""
        source = os.path.join(self.work, f"{name}.db")
        target = os.path.join(self.work, f"{name}-limit.db")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(target + suffix)
        with contextlib.closing(sqlite3.connect(source)) as c:
            schema = c.execute("SELECT sql FROM sqlite_master WHERE name = 'tally'").fetchone()[0]
        script = ("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nPRAGMA cache_size=-16384;\n"
                  f"PRAGMA foreign_keys=ON;\n{schema};\nATTACH '{source}' AS other;\nBEGIN;\n"
                  "INSERT INTO tally SELECT * FROM other.tally ORDER BY k, src"
                  " ON CONFLICT(k, src) DO UPDATE SET accesses = accesses + excluded.accesses,"
                  " first_seen = min(first_seen, excluded.first_seen),"
                  " last_seen = max(last_seen, excluded.last_seen);\nCOMMIT;\n")
        start = time.monotonic()
        subprocess.run(["sqlite3", target], input=script, text=True, check=True,
                       stdout=subprocess.DEVNULL)
        return time.monotonic() - start

    def tcpdump(self, path):
        return self.timed(tcpdump_args(path), stdout_null=True)[0]

    # --- the table ----------------------------------------------------------

    def add(self, what, value, unit, floor=None, target=None, met=None, note=""):
        row = {"what": what, "value": value, "unit": unit, "floor": floor, "target": target,
               "met": met, "note": note}
        self.results["rows"].append(row)
        log(f"bench: {what}: {fmt(value)} {unit}" + (f" (floor {fmt(floor)} s)" if floor else ""))

    def replays(self):
        runs = self.args.runs
        # The small-sensor mix's target is against its limit (docs/performance.md).
        for mix, name, limit, against_limit in (("telescope", "Telescope mix", 2.0, False),
                                                ("small", "Small-sensor mix", 1.1, True)):
            path, summary = self.bench_file(mix)
            self.warm(path)
            floors, walls, rsss, dumps, limits = [], [], [], [], []
            rows = peak = 0
            for i in range(runs):
                floors.append(self.floor(path))
                seconds, rss, rows, peak = self.sensor_replay(path, mix)
                walls.append(seconds)
                rsss.append(rss)
                if against_limit:
                    limits.append(floors[-1] + self.sqlite_limit(mix))
                if shutil.which("tcpdump"):
                    dumps.append(self.tcpdump(path))
                log(f"bench: {mix} run {i + 1}/{runs}: floor {floors[-1]:.3f} s, "
                    f"sensor {seconds:.3f} s, {rss / MIB:.0f} MiB"
                    + (f", limit {limits[-1]:.3f} s" if limits else ""))
            f, w = statistics.median(floors), statistics.median(walls)
            packets = summary["packets_written"]
            self.add(f"{name}: floor (libpcap read loop)", f, "s", note=f"{packets / f:,.0f} packets/s")
            note = (f"{packets / w:,.0f} packets/s; {rows:,} rows "
                    f"(generator: {summary['distinct_rows']:,})")
            if against_limit:
                lim = statistics.median(limits)
                self.add(f"{name}: limit = floor + sqlite3's own sorted bulk upsert of those rows",
                         lim, "s", floor=f,
                         note="same schema and pragmas, one transaction, `sqlite3` shell")
                self.add(f"{name}: teiten-sensor --read, rows committed", w, "s", floor=f,
                         target=f"<= {limit:g}x the limit", met=w / lim <= limit,
                         note=f"{w / lim:.2f}x the limit; " + note)
            else:
                self.add(f"{name}: teiten-sensor --read, rows committed", w, "s", floor=f,
                         target=f"<= {limit:g}x floor", met=w / f <= limit, note=note)
            rss = statistics.median(rsss)
            budget = 64 * MIB + 40 * peak
            self.add(f"{name}: peak memory (RSS)", rss / MIB, "MiB",
                     target=f"<= 64 MiB + 40 B x {peak:,} rows held = {budget / MIB:.0f} MiB",
                     met=rss <= budget,
                     note=f"{rss / max(peak, 1):.0f} bytes per row held at the peak")
            if dumps:
                d = statistics.median(dumps)
                self.add(f"{name}: tcpdump -r with a BPF probe filter (reference)", d, "s",
                         floor=f, note="counts nothing, writes nothing")

    def geo(self):
        floors, walls = [], []
        for i in range(self.args.runs):
            out = subprocess.run([self.bin("teiten-bench-geo"), str(self.args.geo_addresses)],
                                 check=True, capture_output=True, text=True).stdout
            result = json.loads(out)
            floors.append(result["floor_seconds"])
            walls.append(result["locator_seconds"])
            log(f"bench: geo run {i + 1}/{self.args.runs}: floor {floors[-1]:.3f} s, "
                f"locator {walls[-1]:.3f} s")
        n = result["addresses"]
        f, w = statistics.median(floors), statistics.median(walls)
        self.add(f"Geolocation: floor (libloc C API lookup loop, {n:,} addresses)", f, "s",
                 note=f"{n / f:,.0f} lookups/s")
        self.add("Geolocation: teiten::geo Locator::lookup, default database", w, "s", floor=f,
                 target="<= 1.5x floor", met=w / f <= 1.5,
                 note=f"{n / w:,.0f} lookups/s; {result['source']}")

    def live(self):
        if os.geteuid() != 0 or not shutil.which("tcpreplay"):
            self.add("Live capture", None, "", note="skipped: needs root and tcpreplay")
            return
        path, _ = self.bench_file("telescope")
        first = os.path.join(self.data, f"telescope-first-{self.args.live_packets}.pcap")
        if not os.path.exists(first):
            subprocess.run(["editcap", "-r", path, first, f"1-{self.args.live_packets}"],
                           check=True, stdout=subprocess.DEVNULL)
        for n, (label, buffer) in enumerate((("default buffer", None),
                                             ("64 KiB buffer (the smallest allowed)", "64KiB"))):
            results = [self.live_run(first, buffer, 10 * n + i) for i in range(self.args.live_runs)]
            counted = statistics.median(r["packets"] for r in results)
            drops = statistics.median(r["kernel_drops"] for r in results)
            rate = statistics.median(r["rate"] for r in results)
            exact = all(r["packets"] + r["kernel_drops"] + r["if_drops"] == r["sent"] for r in results)
            sent = statistics.median(r["sent"] for r in results)
            target = "no kernel drops" if buffer is None else "drops reported exactly"
            met = drops == 0 if buffer is None else exact
            self.add(f"Live, {label}: packets counted", counted, "packets",
                     target=target, met=met,
                     note=f"sent {sent:,.0f} at {rate:,.0f} packets/s (tcpreplay --topspeed); "
                          f"kernel drops {drops:,.0f}; interface drops "
                          f"{statistics.median(r['if_drops'] for r in results):,.0f}; "
                          f"counted + dropped = sent in {sum(1 for r in results if r['packets'] + r['kernel_drops'] + r['if_drops'] == r['sent'])}/{len(results)} runs")

    def live_run(self, capture, buffer, index):
        tag = f"{os.getpid() % 10000}{index}"
        sender, sensor = f"tb-s-{tag}", f"tb-r-{tag}"
        if_s, if_r = f"tbs{tag}"[:15], f"tbr{tag}"[:15]
        db = os.path.join(self.work, f"live-{tag}.db")
        config = os.path.join(self.work, f"live-{tag}.yaml")
        extra = f", buffer_size: {buffer}" if buffer else ""
        with open(config, "w") as f:
            f.write(f"sensor: {{id: bench, timezone: UTC}}\n"
                    f"capture: {{interface: {if_r}, observed: [198.18.0.0/15, \"2001:db8::/32\"],"
                    f" promiscuous: true{extra}}}\n"
                    f"storage: {{path: {db}, flush_interval: 1h}}\n"
                    f"control: {{socket: {self.work}/live-{tag}.sock}}\n")
        try:
            for ns in (sender, sensor):
                subprocess.run(["ip", "netns", "add", ns], check=True)
            subprocess.run(["ip", "link", "add", if_s, "netns", sender, "type", "veth", "peer",
                            "name", if_r, "netns", sensor], check=True)
            for ns, ifname in ((sender, if_s), (sensor, if_r)):
                # No IPv6 autoconfiguration: only tcpreplay's frames cross the link,
                # so counted + dropped can be compared with what was sent.
                subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w",
                                f"net.ipv6.conf.{ifname}.disable_ipv6=1"], check=True)
                subprocess.run(["ip", "-n", ns, "link", "set", ifname, "up"], check=True)
            log_path = os.path.join(self.work, f"live-{tag}.log")
            with open(log_path, "w") as out:
                proc = subprocess.Popen(["ip", "netns", "exec", sensor, self.bin("teiten-sensor"),
                                         "-c", config], stdout=out, stderr=subprocess.STDOUT)
                deadline = time.monotonic() + 20
                while "control_socket" not in open(log_path).read():
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("live sensor did not start:\n" + open(log_path).read())
                    time.sleep(0.1)
                r = subprocess.run(["ip", "netns", "exec", sender, "tcpreplay", "-K", "--topspeed",
                                    "-i", if_s, capture], capture_output=True, text=True, check=True)
                time.sleep(1.5)
                proc.send_signal(signal.SIGTERM)
                proc.wait(60)
            sent = int(re.search(r"Successful packets:\s+(\d+)", r.stdout).group(1))
            rate = float(re.search(r"Rated: [\d.]+ Bps, [\d.]+ Mbps, ([\d.]+) pps", r.stdout).group(1))
            with contextlib.closing(sqlite3.connect(db)) as c:
                packets, kd, ifd = c.execute(
                    "SELECT sum(packets), sum(kernel_drops), sum(if_drops) FROM day_stats").fetchone()
            return {"sent": sent, "rate": rate, "packets": packets or 0, "kernel_drops": kd or 0,
                    "if_drops": ifd or 0}
        finally:
            for ns in (sender, sensor):
                subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def ingest_inputs(self):
        """Ten sensor databases with full outboxes (small-sensor mix,
        --ingest-packets each), kept in work/ingest-snap for every run."""
        sensors = [f"s{i:02d}" for i in range(1, 11)]
        pki = os.path.join(self.work, "pki")
        subprocess.run([os.path.join(self.source, "scripts", "make-certs"), pki, *sensors],
                       check=True, stdout=subprocess.DEVNULL)
        snap = os.path.join(self.work, "ingest-snap")
        os.makedirs(snap, exist_ok=True)
        shipped = distinct = 0
        for i, sid in enumerate(sensors):
            directory = os.path.join(self.data, f"ingest-{sid}-{self.args.ingest_packets}")
            capture = os.path.join(directory, "bench-small.pcap")
            if not os.path.exists(capture):
                subprocess.run([self.bin("teiten-synth"), "bench-small", "--packets",
                                str(self.args.ingest_packets), "--seed", str(100 + i), "--out",
                                directory], check=True, stdout=subprocess.DEVNULL)
            config = os.path.join(snap, f"{sid}.yaml")
            with open(config, "w") as f:
                f.write(self.ingest_sensor_yaml(sid, pki, free_port()))
            subprocess.run([self.bin("teiten-sensor"), "-c", config, "--ship-timeout", "0",
                            "--read", capture], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with contextlib.closing(sqlite3.connect(os.path.join(snap, f"{sid}.db"))) as c:
                shipped += c.execute("SELECT sum(rows) FROM outbox").fetchone()[0]
                distinct += c.execute("SELECT count(*) FROM tally").fetchone()[0]
        return {"sensors": sensors, "pki": pki, "snap": snap, "shipped": shipped,
                "distinct": distinct}

    @staticmethod
    def ingest_sensor_yaml(sid, pki, port):
        return (f"sensor: {{id: {sid}, timezone: UTC}}\nstorage: {{path: {sid}.db}}\n"
                f"collector: {{address: \"localhost:{port}\", ca: {pki}/ca.pem, "
                f"cert: {pki}/{sid}.pem, key: {pki}/{sid}.key}}\nlog: {{level: error}}\n")

    def ingest_run(self, inputs, storage, collectors):
        """One run: the sensors ship their outboxes at once to `collectors`
        collectors (the fleet split between them) that store into `storage`
        (its yaml line; count_rows(directory) reads what arrived). Rows/s."""
        sensors, pki = inputs["sensors"], inputs["pki"]
        ports = [free_port() for _ in range(collectors)]
        with tempfile.TemporaryDirectory(dir=self.work) as d:
            daemons = []
            for n, port in enumerate(ports):
                with open(os.path.join(d, f"collector{n}.yaml"), "w") as f:
                    f.write(f"listen: {{address: \"127.0.0.1:{port}\", ca: {pki}/ca.pem, "
                            f"cert: {pki}/collector.pem, key: {pki}/collector.key}}\n"
                            f"sensors: [{', '.join(sensors)}]\nfleet: {{timezone: UTC}}\n"
                            f"{storage.yaml()}control: {{socket: {d}/c{n}.sock}}\n"
                            "log: {level: warn}\n")
                daemons.append(subprocess.Popen(
                    [self.bin("teiten-collector"), "-c", f"collector{n}.yaml"], cwd=d,
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            for port in ports:
                wait_port(port)
            for i, sid in enumerate(sensors):
                shutil.copy(os.path.join(inputs["snap"], f"{sid}.db"), d)
                with open(os.path.join(d, f"{sid}.yaml"), "w") as f:
                    f.write(self.ingest_sensor_yaml(sid, pki, ports[i * collectors // len(sensors)]))
            empty = os.path.join(self.source, "tests", "data", "zeek-empty-0pkts.pcap")
            start = time.monotonic()
            # Time enough for the slowest backend: a rate is measured, not a deadline.
            procs = [subprocess.Popen([self.bin("teiten-sensor"), "-c", f"{sid}.yaml",
                                       "--ship-timeout", "900", "--read", empty], cwd=d)
                     for sid in sensors]
            codes = [p.wait() for p in procs]
            seconds = time.monotonic() - start
            for daemon in daemons:
                daemon.send_signal(signal.SIGTERM)
                daemon.wait(60)
            stored = storage.count_rows(d)
        if set(codes) != {0} or stored != inputs["distinct"]:
            raise RuntimeError(f"ingest run failed ({storage.name}, {collectors} collectors): "
                               f"exit codes {codes}, {stored} of {inputs['distinct']} rows")
        log(f"bench: ingest into {storage.name} through {collectors} collector(s): "
            f"{inputs['shipped']:,} rows in {seconds:.2f} s")
        return inputs["shipped"] / seconds

    def ingest(self):
        """Ten sensors with full outboxes ship at once: to one collector on
        SQLite, and (bench_postgres.py) to one and to two collectors on
        PostgreSQL; the runs interleave, so a noisy machine slows all alike."""
        inputs = self.ingest_inputs()
        sqlite_rates = []
        with bench_postgres.Ingest(self) as pg:
            for run in range(self.args.runs):
                sqlite_rates.append(self.ingest_run(inputs, SqliteTarget(), 1))
                pg.run(inputs, run)
        self.add("Collector ingest, ten sensors at once", statistics.median(sqlite_rates),
                 "rows/s",
                 note=f"{inputs['shipped']:,} rows shipped ({inputs['distinct']:,} distinct) in "
                      "batches of at most 20,000 over mutual TLS, each committed before its ACK; "
                      "the collector database equals the union of the sensors'")
        pg.add_rows(inputs, statistics.median(sqlite_rates))

    def report_lines(self):
        """The report database's content as teiten-load-rows lines, in chunks:
        one month (July 2010) of --report-sensors sensors with at least
        --report-rows rollup rows, drawn the same on every call (seed 7), so
        the SQLite and the PostgreSQL databases hold the same rows."""
        import random
        rnd = random.Random(7)
        # Scanners sweep many ports from few sources, so most rows share a
        # heavy-tailed set of sources; ports follow a long tail too.
        pool = [rnd.randrange(1 << 24, 224 << 24) for _ in range(400_000)]
        ports = [(445, "tcp")] * 40 + [(p, "tcp") for p in (1433, 135, 139, 22, 23, 80, 8080,
                                                            3389, 5900)] * 6 + \
                [(p, "udp") for p in (5060, 1434, 53, 123, 161)] * 3 + \
                [(rnd.randrange(1, 65536), rnd.choice(("tcp", "udp"))) for _ in range(400)]
        n = self.args.report_sensors
        sensors = [f"s{i:0{len(str(n))}d}" for i in range(1, n + 1)]
        per = -(-self.args.report_rows // (31 * len(sensors)))  # at least the rows asked for
        for day in range(1, 32):
            date = f"2010-07-{day:02d}"
            t = 1277942400 + (day - 1) * 86400
            for s in sensors:
                seen = set()
                lines = [f"day {s} {date} 86400 {per * 3} 0 0 - -"]
                while len(seen) < per:
                    src = pool[int(rnd.paretovariate(1.2)) % len(pool)] if rnd.random() < 0.5 \
                        else rnd.choice(pool)
                    port, proto = rnd.choice(ports)
                    if (src, port, proto) in seen:
                        continue
                    seen.add((src, port, proto))
                    ip = f"{src >> 24}.{(src >> 16) & 255}.{(src >> 8) & 255}.{src & 255}"
                    lines.append(f"row {s} {date} {proto} {port} probe {ip} "
                                 f"{rnd.randrange(1, 4)} {t} {t}")
                yield "\n".join(lines) + "\n"

    def load_rows(self, target):
        """Writes report_lines() into a collector database (a file or a
        PostgreSQL conninfo) through the real store, by teiten-load-rows."""
        load = subprocess.Popen([self.bin("teiten-load-rows"), "collector", target, "UTC"],
                                stdin=subprocess.PIPE, text=True)
        for chunk in self.report_lines():
            load.stdin.write(chunk)
        load.stdin.close()
        if load.wait() != 0:
            raise RuntimeError("teiten-load-rows failed")

    def report_name(self):
        return f"report-{self.args.report_rows}-{self.args.report_sensors}"

    def report_db(self):
        """The SQLite collector database of report_lines(); cached in OUT_DIR/data."""
        db = os.path.join(self.data, self.report_name() + ".db")
        if os.path.exists(db):
            return db
        log(f"bench: generating a collector database of {self.args.report_rows:,} rows, "
            f"{self.args.report_sensors} sensors, for the report")
        tmp = db + ".tmp"
        for suffix in ("", "-wal", "-shm", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp + suffix)
        self.load_rows(tmp)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(tmp + suffix, db + suffix)
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp + ".lock")
        return db

    def report(self):
        """teiten-report over a month of >= 5M rows against one sqlite3 full
        scan of the rollup view of the same database, in the same session."""
        db = self.report_db()
        with contextlib.closing(sqlite3.connect(db)) as c:
            rows = c.execute("SELECT count(*) FROM tally").fetchone()[0]
        self.warm(db)
        scan_sql = ("SELECT day, proto, port, kind, count(*), sum(accesses) FROM rollup "
                    "GROUP BY 1,2,3,4")
        scans, walls, rsss = [], [], []
        for i in range(self.args.runs):
            scans.append(self.timed(["sqlite3", db, scan_sql], stdout_null=True)[0])
            out = os.path.join(self.work, "report")
            shutil.rmtree(out, ignore_errors=True)
            seconds, rss, _ = self.timed([self.bin("teiten-report"), "--db", db, "--month",
                                          "2010-07", "--out", out, "--lang", "both"])
            walls.append(seconds)
            rsss.append(rss)
            log(f"bench: report run {i + 1}: {seconds:.2f} s, sqlite3 scan {scans[-1]:.2f} s")
        scan, wall = statistics.median(scans), statistics.median(walls)
        sensors = self.args.report_sensors
        self.add("sqlite3 full scan of rollup, GROUP BY day, proto, port, kind", scan, "s",
                 note=f"{rows:,} rows, one month, {sensors} sensors")
        self.add("teiten-report, one month, ja and en", wall, "s", floor=scan, target="3x",
                 met=wall <= 3 * scan,
                 note=f"x floor = x the sqlite3 scan; peak RSS {max(rsss) / MIB:.0f} MiB; "
                      "pages, report.json, every figure in SVG and PNG")
        bench_postgres.report(self, os.path.join(self.work, "report", "report.json"), wall)


class SqliteTarget:
    """The collector's default storage, a file in the run's directory."""
    name = "SQLite"

    @staticmethod
    def yaml():
        return "storage: {path: collector.db}\n"

    @staticmethod
    def count_rows(directory):
        with contextlib.closing(sqlite3.connect(os.path.join(directory, "collector.db"))) as c:
            return c.execute("SELECT count(*) FROM tally").fetchone()[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("collector did not listen")


def machine():
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": os.uname().release,
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.3f}" if v < 100 else f"{v:,.0f}"
    return f"{v:,}"


def table(results):
    lines = [f"teiten bench — {results['machine']['cpu']}, {results['machine']['cores']} cores, "
             f"kernel {results['machine']['kernel']}, {results['machine']['date']}",
             f"medians of {results['runs']} runs; floor = libpcap read loop over the same file, "
             "same session", "",
             "| measurement | value | x floor | target | met | notes |",
             "|---|---|---|---|---|---|"]
    for r in results["rows"]:
        ratio = f"{r['value'] / r['floor']:.2f}x" if r["floor"] and r["value"] else ""
        met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
        value = f"{fmt(r['value'])} {r['unit']}".strip()
        lines.append(f"| {r['what']} | {value} | {ratio} | {r['target'] or ''} | {met} | {r['note']} |")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--live-runs", type=int, default=5)
    p.add_argument("--packets", type=int, default=5_000_000)
    p.add_argument("--live-packets", type=int, default=1_000_000)
    p.add_argument("--ingest-packets", type=int, default=300_000)
    p.add_argument("--geo-addresses", type=int, default=1_000_000)
    p.add_argument("--report-rows", type=int, default=5_000_000)
    p.add_argument("--report-sensors", type=int, default=100)
    p.add_argument("--only", choices=["replay", "live", "ingest", "geo", "report"],
                   action="append")
    args = p.parse_args()
    bench = Bench(args)
    parts = args.only or ["replay", "live", "ingest", "geo", "report"]
    for part, fn in (("replay", bench.replays), ("live", bench.live), ("ingest", bench.ingest),
                     ("geo", bench.geo), ("report", bench.report)):
        if part in parts:
            try:
                fn()
            except Exception as e:  # a failed part is reported, the rest still runs
                bench.add(f"{part}", None, "", note=f"FAILED: {e}")
    text = table(bench.results)
    print(text)
    with open(os.path.join(bench.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(bench.out, "results.json"), "w") as f:
        json.dump(bench.results, f, indent=2)
    log(f"bench: wrote {bench.out}/results.md and results.json")
    # A missed target is a result; a part that could not be measured is a failure.
    failed = [r for r in bench.results["rows"] if r.get("note", "").startswith("FAILED")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
