#!/usr/bin/env python3
"""teiten-report end to end: a collector database (and a sensor database)
of six months of a synthetic fleet with planted events, written through the
real stores by teiten-load-rows; every number of report.json compared with
what fleet_data.py computes independently (countries and ASes from
python3-location); the pages opened in headless Chromium (every figure
loads, no console errors, ja and en carry the same numbers, screenshots kept
in the build directory); bad input and exit codes.

Needs chromium, gnuplot and python3-location: as root (CI) a missing one
fails the test; otherwise it is skipped (exit 77).
"""
import fcntl
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import location  # noqa: F401  Debian's python3-location
except ImportError:
    # A pyenv or venv python3 lacks Debian's modules: rerun with Debian's.
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])

import fleet_data  # noqa: E402
from browser import Browser, find_chromium  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "support"))
import pg_server  # noqa: E402

BUILD = os.environ.get("TEITEN_BUILD_DIR", os.path.join(HERE, "../../build"))
REPORT = os.path.join(BUILD, "daemon/report/teiten-report")
LOAD = os.path.join(BUILD, "tests/bench/teiten-load-rows")
ARTIFACTS = os.path.join(BUILD, "test-artifacts", "report")


def requirements():
    missing = []
    if find_chromium() is None:
        missing.append("chromium")
    if shutil.which("gnuplot") is None:
        missing.append("gnuplot (gnuplot-nox)")
    try:
        fleet_data.Geo()
    except Exception as e:  # noqa: BLE001
        missing.append(f"python3-location and libloc-database ({e})")
    return missing


def run_report(*args):
    return subprocess.run([REPORT, *args], capture_output=True, text=True, timeout=300)


class Fixture:
    """Built once: the databases, the expected report, the report written."""
    tmp = None
    ready = False

    @classmethod
    def setup(cls):
        if cls.ready:
            return
        cls.tmp = tempfile.mkdtemp(prefix="teiten-report-")
        cls.fleet = fleet_data.Fleet()
        cls.geo = fleet_data.Geo()
        cls.expected = fleet_data.expected_report(cls.fleet, cls.geo)
        cls.db = os.path.join(cls.tmp, "collector.db")
        subprocess.run([LOAD, "collector", cls.db, "Asia/Tokyo"], input=cls.fleet.lines(),
                       text=True, check=True)
        cls.out = os.path.join(cls.tmp, "out")
        r = run_report("--db", cls.db, "--month", fleet_data.MONTH, "--out", cls.out,
                       "--lang", "both")
        if r.returncode != 0:
            raise AssertionError(f"teiten-report failed ({r.returncode}): {r.stderr}")
        with open(os.path.join(cls.out, "report.json"), encoding="utf-8") as f:
            cls.report = json.load(f)
        cls.ready = True


class ReportNumbers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        Fixture.setup()
        cls.r, cls.e = Fixture.report, Fixture.expected

    def test_headline_totals_coverage_and_previous_month(self):
        r, e = self.r, self.e
        for key in ("month", "sensors", "days"):
            self.assertEqual(r[key], e[key], key)
        for key, value in e["totals"].items():
            self.assertEqual(r["totals"][key], value, key)
        for key, value in e["per_sensor_day"].items():
            self.assertAlmostEqual(r["per_sensor_day"][key], value, places=9, msg=key)
        for key, value in e["coverage"].items():
            self.assertEqual(r["coverage"][key], value, key)
        self.assertFalse(r["coverage"]["complete"])  # s06 missed five days
        self.assertEqual({k: r["previous"][k] for k in ("month", "accesses", "sources")},
                         e["previous"])

    def test_every_port_type_with_its_rank_and_last_month_rank(self):
        got = [{k: p[k] for k in e} for p, e in zip(self.r["ports"], self.e["ports"])]
        self.assertEqual(len(self.r["ports"]), len(self.e["ports"]))
        self.assertEqual(got, self.e["ports"])

    def test_every_day(self):
        got = [{k: d[k] for k in e} for d, e in zip(self.r["daily"], self.e["daily"])]
        self.assertEqual(got, self.e["daily"])

    def test_regions_and_asns_match_python3_location(self):
        got = [{k: g[k] for k in e} for g, e in zip(self.r["regions"], self.e["regions"])]
        self.assertEqual(got, self.e["regions"])
        self.assertIn("ZZ", [g["code"] for g in self.r["regions"]])  # special-purpose sources
        self.assertGreater(len(self.r["regions"]), 5)
        got = [{k: a[k] for k in e} for a, e in zip(self.r["asns"], self.e["asns"])]
        self.assertEqual(got, self.e["asns"])

    def test_findings_by_the_documented_rules(self):
        got = []
        for f in self.r["findings"]:
            keep = {"surge": ("type", "label", "start", "sensors"),
                    "single_sensor": ("type", "label", "sensor", "share"),
                    "new_entry": ("type", "label", "rank")}[f["type"]]
            got.append({k: f[k] for k in keep})
        self.assertEqual(got, self.e["findings"])

    def test_the_planted_events_are_named(self):
        f = self.r["findings"]
        self.assertIn({"type": "surge", "label": "5060/udp", "start": "2010-07-09", "sensors": 4},
                      [{k: x.get(k) for k in ("type", "label", "start", "sensors")} for x in f])
        self.assertIn({"type": "single_sensor", "label": "27649/udp", "sensor": "s05",
                       "share": 1.0},
                      [{k: x.get(k) for k in ("type", "label", "sensor", "share")} for x in f])
        self.assertIn("5060/udp", [x["label"] for x in f if x["type"] == "new_entry"])

    def test_six_months_and_data_quality(self):
        got = [{k: m[k] for k in ("month", "accesses", "sources", "sensor_days_observed")}
               for m in self.r["months"]]
        self.assertEqual(got, self.e["months"])
        quality = {q["sensor"]: q for q in self.r["quality"]}
        for sensor, e in self.e["quality"].items():
            for key, value in e.items():
                self.assertEqual(quality[sensor][key], value, f"{sensor} {key}")
        self.assertEqual(len(quality["s06"]["missing_days"]), 5)
        self.assertEqual(quality["s03"]["partial_days"], ["2010-07-15"])

    def test_one_csv_per_figure_with_the_numbers_of_report_json(self):
        figures = os.path.join(Fixture.out, "figures")
        with open(os.path.join(figures, "2-1.csv"), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split(",") for line in f]
        header, body = rows[0], rows[1:]
        self.assertEqual(header[1:11], [p["label"] for p in self.r["ports"][:10]])
        per_day = [sum(int(v) for v in row[1:]) for row in body]
        self.assertEqual(per_day, [d["accesses"] for d in self.r["daily"]])
        for name in os.listdir(figures):
            if name.endswith(".gp"):
                base = name[:-3]
                for ext in (".svg", ".png"):
                    self.assertGreater(os.path.getsize(os.path.join(figures, base + ext)), 1000,
                                       base + ext)


class ReportPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        Fixture.setup()
        cls.browser = Browser()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()

    def numbers(self):
        # The numbers of table cells and headline figures, in page order.
        cells = self.browser.evaluate(
            "Array.from(document.querySelectorAll('td.n, .fact b')).map(e => e.textContent)")
        return [re.findall(r"[0-9][0-9,.]*%?", c) for c in cells]

    def check_page(self, name):
        url = "file://" + os.path.join(Fixture.out, name)
        self.browser.open(url)
        broken = self.browser.evaluate(
            "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.getAttribute('src'))")
        self.assertEqual(broken, [], f"{name}: figures that did not load")
        count = self.browser.evaluate("document.images.length")
        self.assertGreaterEqual(count, 16 + 2 * 3)
        self.assertEqual(self.browser.problems(), [], f"{name}: console or load problems")
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = os.path.join(ARTIFACTS, name.replace(".html", ".png"))
        height = self.browser.screenshot(shot)
        self.assertGreater(height, 5000)
        # The first screenful on its own, to look at without scrolling.
        self.browser.screenshot(shot.replace(".png", ".top.png"), y=0, height=1400)
        return self.numbers()

    def test_pages_load_every_figure_and_carry_the_same_numbers(self):
        ja = self.check_page("report.html")
        text_ja = self.browser.evaluate("document.body.innerText")
        en = self.check_page("report.en.html")
        self.assertEqual(ja, en)
        self.assertIn([f"{Fixture.report['totals']['accesses']:,}"], ja)
        self.assertIn("延べ発信元数", text_ja)
        self.assertIn("5060/udp", text_ja)


class BadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        Fixture.setup()

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="teiten-report-bad-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def out(self):
        return os.path.join(self.dir, "out")

    def assert_nothing_written(self):
        self.assertFalse(os.path.exists(self.out()))

    def test_month_without_data_exits_5_and_writes_nothing(self):
        for month in ("2010-09", "2009-12"):  # after the data; before the first day
            r = run_report("--db", Fixture.db, "--month", month, "--out", self.out())
            self.assertEqual(r.returncode, 5, r.stderr)
            self.assertIn("no data for " + month, r.stderr)
            self.assert_nothing_written()

    def test_database_that_is_not_teitens_exits_1(self):
        other = os.path.join(self.dir, "other.db")
        sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
        junk = os.path.join(self.dir, "junk.db")
        with open(junk, "wb") as f:
            f.write(b"not a database" * 100)
        for db in (other, junk, os.path.join(self.dir, "missing.db")):
            r = run_report("--db", db, "--month", "2010-07", "--out", self.out())
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("teiten database", r.stderr)
            self.assert_nothing_written()
        self.assertFalse(os.path.exists(os.path.join(self.dir, "missing.db")))

    def test_missing_geo_file_and_bad_arguments_exit_2(self):
        cases = [["--geo", os.path.join(self.dir, "none.mmdb")], ["--month", "2010-13"],
                 ["--month", "July"], ["--lang", "fr"], ["--surge-window", "0"],
                 ["--single-min-share", "1.5"], ["--bogus"]]
        for extra in cases:
            args = ["--db", Fixture.db, "--month", "2010-07", "--out", self.out()]
            for i in range(0, len(extra) - 1, 2):
                if extra[i] in args:
                    args[args.index(extra[i]) + 1] = extra[i + 1]
                    extra = extra[:i] + extra[i + 2:]
            r = run_report(*args, *extra)
            self.assertEqual(r.returncode, 2, f"{extra}: {r.stderr}")
            self.assertTrue(r.stderr.startswith("teiten-report:"), r.stderr)
            self.assert_nothing_written()
        r = run_report("--month", "2010-07", "--out", self.out())
        self.assertEqual(r.returncode, 2)

    def test_missing_gnuplot_exits_1_and_writes_nothing(self):
        env = dict(os.environ, PATH=self.dir)
        r = subprocess.run([REPORT, "--db", Fixture.db, "--month", "2010-07", "--out",
                            self.out()], capture_output=True, text=True, env=env)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("gnuplot", r.stderr)
        self.assert_nothing_written()

    def test_a_sensor_database_gives_that_sensors_report(self):
        lines = [l for l in Fixture.fleet.lines().splitlines() if l.split()[1] == "s05"]
        db = os.path.join(self.dir, "sensor.db")
        subprocess.run([LOAD, "sensor", db, "s05", "Asia/Tokyo"], input="\n".join(lines) + "\n",
                       text=True, check=True)
        r = run_report("--db", db, "--month", "2010-07", "--out", self.out(), "--lang", "en")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.out(), "report.json"), encoding="utf-8") as f:
            report = json.load(f)
        self.assertEqual(report["sensors"], 1)
        self.assertEqual(report["database"]["kind"], "sensor")
        s05 = sum(n for (d, s, proto, port, k, src), n in Fixture.fleet.rows.items()
                  if s == "s05" and k == "probe" and d.month == 7)
        self.assertEqual(report["totals"]["accesses"], s05)
        # One sensor holds everything: no single-sensor findings.
        self.assertNotIn("single_sensor", [f["type"] for f in report["findings"]])
        self.assertTrue(os.path.exists(os.path.join(self.out(), "report.html")))
        self.assertFalse(os.path.exists(os.path.join(self.out(), "report.en.html")))

    def test_reads_while_a_daemon_holds_the_lock_and_writes(self):
        # As a running collector would: its lock held, a write transaction open.
        with open(Fixture.db + ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            con = sqlite3.connect(Fixture.db)
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO meta(key, value) VALUES('report-test', 1)")
            try:
                r = run_report("--db", Fixture.db, "--month", "2010-06", "--out", self.out(),
                               "--lang", "en")
                self.assertEqual(r.returncode, 0, r.stderr)
            finally:
                con.rollback()
                con.close()


class OnPostgreSQL(unittest.TestCase):
    """The same fleet in a PostgreSQL database (docs/postgresql.md): the
    report is the SQLite one's, byte for byte."""

    @classmethod
    def setUpClass(cls):
        Fixture.setup()
        cls.server = pg_server.shared_server()
        cls.dbname = f"report_{os.getpid()}"
        cls.conninfo = cls.server.create_database(cls.dbname)
        subprocess.run([LOAD, "collector", cls.conninfo, "Asia/Tokyo"],
                       input=Fixture.fleet.lines(), text=True, check=True)

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="teiten-report-pg-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def files(self, out):
        found = {}
        for base, _, names in os.walk(out):
            for n in names:
                if n.endswith((".json", ".csv", ".html")):
                    with open(os.path.join(base, n), "rb") as f:
                        found[os.path.relpath(os.path.join(base, n), out)] = f.read()
        return found

    def test_report_json_csv_and_pages_are_those_of_sqlite(self):
        expected = self.files(Fixture.out)
        self.assertIn("report.json", expected)
        for db in (self.conninfo, self.server.url(self.dbname)):
            out = os.path.join(self.dir, "out")
            shutil.rmtree(out, ignore_errors=True)
            r = run_report("--db", db, "--month", fleet_data.MONTH, "--out", out, "--lang", "both")
            self.assertEqual(r.returncode, 0, r.stderr)
            got = self.files(out)
            self.assertEqual(sorted(got), sorted(expected))
            for name in expected:
                self.assertTrue(got[name] == expected[name], f"{name} differs ({db})")

    def test_a_password_in_db_is_refused_and_never_printed(self):
        for db in ("postgresql://teiten:Sekr1t-pw@127.0.0.1/x", "host=/tmp password=Sekr1t-pw"):
            r = run_report("--db", db, "--month", "2010-07", "--out", os.path.join(self.dir, "o"))
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("password", r.stderr)
            self.assertNotIn("Sekr1t", r.stderr + r.stdout)

    def test_an_empty_or_unreachable_database_exits_1(self):
        empty = self.server.create_database(f"empty_{os.getpid()}")
        for db in (empty, f"host={self.dir} port=1 dbname=none"):
            r = run_report("--db", db, "--month", "2010-07", "--out", os.path.join(self.dir, "o"))
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("teiten database", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "o")))


if __name__ == "__main__":
    missing = requirements()
    if missing:
        print("missing: " + ", ".join(missing))
        sys.exit(1 if os.geteuid() == 0 else 77)
    prog = unittest.main(exit=False, verbosity=2)
    shutil.rmtree(Fixture.tmp or "", ignore_errors=True)
    sys.exit(0 if prog.result.wasSuccessful() else 1)
