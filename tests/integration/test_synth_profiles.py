"""teiten-synth's shipped profiles against oracles that share nothing with it:
the tshark oracle (tests/oracle/tshark_rollup.py) recounts sensor-months of
talot2-2010 and every link type of the small profile; python3-location
(tests/geo/geo_oracle.py) places the drawn sources in their countries and
ASes, which must be the regions and ASes of the expected report; and the
small profile, replayed by real sensors into a collector, makes a
teiten-report whose report.json is the expected one."""
import csv
import json
import os
import subprocess
import sys
import unittest
from collections import Counter, defaultdict

import harness
from harness import (TempDir, binary, collector_section, free_port, make_certs, start_collector,
                     write_collector_config, write_sensor_config)

sys.path.insert(0, os.path.join(harness.SOURCE, "tests", "oracle"))
sys.path.insert(0, os.path.join(harness.SOURCE, "tests", "demo"))
import tshark_rollup  # noqa: E402
from report_diff import differences  # noqa: E402

GEO_ORACLE = os.path.join(harness.SOURCE, "tests", "geo", "geo_oracle.py")
DATABASE = "/var/lib/location/database.db"
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
# python3-location is a Debian package for Debian's interpreter.
GEO_PYTHON = "/usr/bin/python3"


def truth_rows(path):
    with open(path, newline="") as f:
        return {(r["day"], r["proto"], int(r["port"]), r["src"], r["kind"]):
                (int(r["accesses"]), int(r["first_seen"]), int(r["last_seen"]))
                for r in csv.DictReader(f)}


class Generated:
    def __init__(self, name, tmp):
        self.dir = tmp.file(name)
        subprocess.run([binary("teiten-synth"), "profile",
                        os.path.join(harness.SOURCE, "config", "synth", name + ".yaml"),
                        "--out", self.dir], check=True, capture_output=True)
        with open(os.path.join(self.dir, "profile.json")) as f:
            self.profile = json.load(f)
        self.sensors = {s["id"]: s for s in self.profile["sensors"]}

    def file(self, month, name):
        return os.path.join(self.dir, month, name)

    def truth(self, month, sensor):
        return truth_rows(self.file(month, sensor + ".truth.csv"))

    def summary(self, month, sensor):
        with open(self.file(month, sensor + ".summary.json")) as f:
            return json.load(f)

    def expected_report(self, month):
        with open(self.file(month, "expected-report.json")) as f:
            return json.load(f)


class SynthProfileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir("teiten-synth-profiles-")
        cls.talot2 = Generated("talot2-2010", cls.tmp)
        cls.small = Generated("small", cls.tmp)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assert_oracle_agrees(self, g, month, sensor):
        s = g.sensors[sensor]
        res = tshark_rollup.compute(g.file(month, sensor + ".pcap"), g.profile["timezone"],
                                    s["observed"], s["ignore_sources"])
        self.assertEqual(res["uncertain"], [], f"{month} {sensor}")
        rows = {(r["day"], r["proto"], r["port"], r["src"], r["kind"]):
                (r["accesses"], r["first_seen"], r["last_seen"]) for r in res["rows"]}
        truth = g.truth(month, sensor)
        self.assertEqual(len(rows), len(truth), f"{month} {sensor}")
        self.assertEqual(rows, truth, f"{month} {sensor}")
        summary = g.summary(month, sensor)["not_counted"]
        counts = res["counts"]
        self.assertEqual(counts["malformed"]["total"], summary["malformed"], f"{month} {sensor}")
        self.assertEqual(counts["non_ip"]["total"], summary["non_ip"], f"{month} {sensor}")
        self.assertEqual(counts["ignored"]["by_reason"].get("ignore_sources", 0),
                         summary["ignored_source"], f"{month} {sensor}")
        return rows

    def test_tshark_oracle_agrees_with_a_talot2_sensor_month(self):
        # s03 is the VLAN trunk: every frame tagged.
        rows = self.assert_oracle_agrees(self.talot2, "2010-07", "s03")
        self.assertGreater(len(rows), 4000)

    def test_tshark_oracle_agrees_on_every_link_type(self):
        for sensor in self.small.sensors:
            with self.subTest(sensor=sensor, link=self.small.sensors[sensor]["link"]):
                self.assert_oracle_agrees(self.small, "2010-07", sensor)

    def test_talot2_july_has_the_reference_findings(self):
        report = self.talot2.expected_report("2010-07")
        surges = {f["label"]: f for f in report["findings"] if f["type"] == "surge"}
        self.assertEqual((surges["5060/udp"]["start"], surges["5060/udp"]["sensors"]),
                         ("2010-07-09", 6))
        self.assertEqual((surges["27649/udp"]["start"], surges["27649/udp"]["sensors"]),
                         ("2010-07-01", 1))
        single = [f for f in report["findings"] if f["type"] == "single_sensor"]
        self.assertEqual([(f["label"], f["sensor"]) for f in single], [("27649/udp", "s04")])
        new = [f["label"] for f in report["findings"] if f["type"] == "new_entry"]
        self.assertEqual(new, ["5060/udp", "27649/udp"])
        # "7月の期待しない（一方的な）アクセスは、6月と比べて減少しました": beyond the
        # report's "about the same" band of 5%.
        self.assertLess(report["change_percent"]["per_sensor_day_accesses"], -5)

    def places(self, addresses):
        """python3-location's country and AS of each address."""
        out = subprocess.run([GEO_PYTHON, GEO_ORACLE, "lookup", DATABASE, ISO_JSON],
                             input="\n".join(sorted(addresses)) + "\n", capture_output=True,
                             text=True)
        if out.returncode == 3:
            self.fail("python3-location is not installed (Debian package python3-location)")
        self.assertEqual(out.returncode, 0, out.stderr)
        places = {}
        for line in out.stdout.splitlines():
            address, _raw, country, asn, name, _special = line.split("\t")
            places[address] = (country, int(asn), name)
        return places

    def assert_regions_agree(self, g, month):
        probes = []
        for sensor in g.sensors:
            probes += [(k, v[0]) for k, v in g.truth(month, sensor).items() if k[4] == "probe"]
        places = self.places({k[3] for k, _ in probes})
        countries, asns = defaultdict(Counter), defaultdict(Counter)
        for k, accesses in probes:
            country, asn, name = places[k[3]]
            countries[country]["accesses"] += accesses
            countries[country]["sources"] += 1
            asns[asn]["accesses"] += accesses
            asns[asn]["sources"] += 1
        report = g.expected_report(month)
        self.assertEqual({r["code"]: (r["accesses"], r["sources"]) for r in report["regions"]},
                         {c: (v["accesses"], v["sources"]) for c, v in countries.items()})
        self.assertEqual({a["asn"]: (a["accesses"], a["sources"]) for a in report["asns"]},
                         {a: (v["accesses"], v["sources"]) for a, v in asns.items()})
        return places, probes

    def test_sources_are_in_the_countries_the_report_will_show(self):
        places, probes = self.assert_regions_agree(self.talot2, "2010-07")
        # Every country is one of the profile's; no source from unrouted space.
        profile_countries = {"CN", "JP", "US", "KR", "TW", "RU", "BR", "DE", "IN", "FR", "GB",
                             "IT", "HK", "VN", "TH", "RO", "PL", "TR", "AR", "CA", "NL", "ES",
                             "UA"}
        self.assertLessEqual({p[0] for p in places.values()}, profile_countries)
        self.assertEqual(sum(1 for p in places.values() if p[1] == 0), 0)
        # 9415/tcp comes mainly from China, as the reference says.
        by_country = Counter(places[k[3]][0] for k, _ in probes if k[1:3] == ("tcp", 9415))
        self.assertGreater(by_country["CN"] / sum(by_country.values()), 0.7, by_country)
        self.assert_regions_agree(self.small, "2010-07")


class SynthReportTest(unittest.TestCase):
    """The small profile end to end: sensors --read their months and ship them
    to a collector over mutual TLS; teiten-report on the collector's database
    must show exactly the generator's expected-report.json, month by month."""

    def test_report_of_the_replayed_small_profile_is_the_expected_one(self):
        tmp = TempDir("teiten-synth-report-")
        try:
            g = Generated("small", tmp)
            sensors = sorted(g.sensors)
            months = [m["month"] for m in g.profile["months"]]
            pki = make_certs(tmp.file("pki"), *sensors)
            port = free_port()
            db = tmp.file("collector.db")
            config = write_collector_config(tmp.file("collector.yaml"), port, pki, sensors, db=db,
                                            timezone=g.profile["timezone"])
            collector = start_collector(config, tmp.file("collector.log"))
            try:
                procs = []
                for sid in sensors:
                    s = g.sensors[sid]
                    cfg = write_sensor_config(
                        tmp.file(f"{sid}.yaml"), sensor_id=sid, timezone=g.profile["timezone"],
                        db=tmp.file(f"{sid}.db"), observed=s["observed"], ignore=s["ignore_sources"],
                        extra=collector_section(port, pki, sid))
                    procs.append(subprocess.Popen(
                        [binary("teiten-sensor"), "-c", cfg, "--ship-timeout", "120", "--read",
                         *[g.file(m, sid + ".pcap") for m in months]],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
                for sid, p in zip(sensors, procs):
                    out, _ = p.communicate(timeout=300)
                    self.assertEqual(p.returncode, 0, f"{sid}:\n{out}")
            finally:
                collector.stop()
            for month in months:
                out_dir = tmp.file("report-" + month)
                r = subprocess.run([binary("teiten-report"), "--db", db, "--month", month,
                                    "--out", out_dir, "--lang", "en"], capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(os.path.join(out_dir, "report.json")) as f:
                    got = json.load(f)
                diffs = differences(g.expected_report(month), got)
                self.assertEqual(diffs, [], f"{month}: {len(diffs)} differences")
        finally:
            tmp.cleanup()


if __name__ == "__main__":
    # Without tshark only an unprivileged run may skip; as root (CI) it fails.
    harness.run_tests(require=("tshark",) if os.geteuid() != 0 else ())
