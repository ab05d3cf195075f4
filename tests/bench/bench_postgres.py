"""The PostgreSQL rows of teiten's benchmark (docs/postgresql.md), run by
bench.py beside the SQLite rows of the same session and the same data.

The server is one of its own (tests/support/pg_server.py), durable as a
production server is (fsync and synchronous commit on; more WAL room than
the default, as a server taking bulk inserts is given), its cluster cached
in OUT_DIR/data/pg-cluster like the other inputs; it runs only while a part
needs it.
"""
import filecmp
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import pg_server  # noqa: E402

MIB = 1024 * 1024


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Server:
    """The bench's server, started for a `with` block and stopped after it."""

    def __init__(self, bench):
        self.server = pg_server.PgServer(os.path.join(bench.data, "pg-cluster"), fsync=True)

    def __enter__(self):
        self.server.open()
        return self.server

    def __exit__(self, *exc):
        self.server.stop_only()


def report_database(bench, server):
    """The report's month in PostgreSQL: the rows of bench.report_lines(),
    loaded once through the real store, then vacuumed and analyzed as
    autovacuum would leave a table that stopped growing."""
    name = bench.report_name().replace("-", "_")
    marker = os.path.join(server.path, f"{name}.loaded")
    if not os.path.exists(marker):
        log(f"bench: loading the report's {bench.args.report_rows:,} rows into PostgreSQL")
        server.psql(f'DROP DATABASE IF EXISTS "{name}"')
        server.create_database(name)
        bench.load_rows(server.conninfo(name))
        server.psql("VACUUM ANALYZE", name)
        open(marker, "w").close()
    return name


def report(bench, sqlite_json, sqlite_wall):
    """teiten-report over the same month in PostgreSQL, against psql's full
    scan of the rollup view, and its report.json against the SQLite run's."""
    with Server(bench) as server:
        name = report_database(bench, server)
        conninfo = server.conninfo(name)
        rows = int(server.psql("SELECT count(*) FROM tally", name)[0][0])
        scan_sql = ("SELECT day, proto, port, kind, count(*), sum(accesses) FROM rollup "
                    "GROUP BY 1,2,3,4")
        scans, walls, rsss = [], [], []
        out = os.path.join(bench.work, "report-pg")
        for i in range(bench.args.runs):
            scans.append(bench.timed(["psql", "-X", "-q", "-d", conninfo, "-o", "/dev/null", "-c",
                                      scan_sql], stdout_null=True)[0])
            shutil.rmtree(out, ignore_errors=True)
            seconds, rss, _ = bench.timed([bench.bin("teiten-report"), "--db", conninfo,
                                           "--month", "2010-07", "--out", out, "--lang", "both"])
            walls.append(seconds)
            rsss.append(rss)
            log(f"bench: report on PostgreSQL run {i + 1}: {seconds:.2f} s, "
                f"psql scan {scans[-1]:.2f} s")
        same = filecmp.cmp(sqlite_json, os.path.join(out, "report.json"), shallow=False)
    scan, wall = statistics.median(scans), statistics.median(walls)
    bench.add("psql full scan of rollup on PostgreSQL, GROUP BY day, proto, port, kind", scan,
              "s", note=f"{rows:,} rows, the same month and sensors")
    bench.add("teiten-report on PostgreSQL, one month, ja and en", wall, "s", floor=scan,
              note=f"x floor = x the psql scan; {wall / sqlite_wall:.2f}x the SQLite report; "
                   f"peak RSS {max(rsss) / MIB:.0f} MiB; report.json identical to SQLite's: "
                   + ("yes" if same else "NO"))


class PgTarget:
    """A fresh database on the bench's server as a collector's storage."""
    name = "PostgreSQL"

    def __init__(self, server, dbname):
        self.server, self.dbname = server, dbname
        server.psql(f'DROP DATABASE IF EXISTS "{dbname}"')
        self.conninfo = server.create_database(dbname)

    def yaml(self):
        return f'storage: {{postgres: "{self.conninfo}"}}\n'

    def count_rows(self, directory):
        return int(self.server.psql("SELECT count(*) FROM tally", self.dbname)[0][0])

    def drop(self):
        self.server.psql(f'DROP DATABASE "{self.dbname}"')


class Ingest:
    """The ingest rows on PostgreSQL, run between bench.py's SQLite runs:
    the same ten sensors into one collector and into two (the fleet split
    between them), a fresh database each run. A failure here is reported in
    its rows and leaves the SQLite rows alone."""

    def __init__(self, bench):
        self.bench = bench
        self.server = None
        self.error = None
        self.rates = {1: [], 2: []}

    def __enter__(self):
        try:
            self.server = pg_server.PgServer(os.path.join(self.bench.data, "pg-cluster"),
                                             fsync=True).open()
        except Exception as e:  # noqa: BLE001 - reported in the rows
            self.error = e
        return self

    def __exit__(self, *exc):
        if self.server:
            self.server.stop_only()

    def run(self, inputs, run):
        if self.error:
            return
        try:
            for collectors in (1, 2):
                target = PgTarget(self.server, f"ingest_{run}_{collectors}")
                self.rates[collectors].append(self.bench.ingest_run(inputs, target, collectors))
                target.drop()
        except Exception as e:  # noqa: BLE001
            self.error = e

    def add_rows(self, inputs, sqlite_rate):
        if self.error:
            self.bench.add("Collector ingest into PostgreSQL", None, "",
                           note=f"FAILED: {self.error}")
            return
        for collectors, rates in self.rates.items():
            rate = statistics.median(rates)
            self.bench.add(
                f"Collector ingest into PostgreSQL, ten sensors, {collectors} collector"
                + ("s" if collectors > 1 else ""), rate, "rows/s",
                note=f"{rate / sqlite_rate:.2f}x the SQLite row's runs, interleaved with them; "
                     "a durable server of its own on this machine (fsync and synchronous commit "
                     "on); the database equals the union of the sensors'")
