#!/usr/bin/env python3
"""scripts/demo's steps that read files: what each sensor observes, the
check against teiten-synth's ground truth, and the headline.

  demo_check.py capture PROFILE_JSON
      per sensor, a line "ID observed: [...], ignore_sources: [...]": what
      its configuration's capture section needs for the truth to hold
  demo_check.py check TRAFFIC_DIR COLLECTOR_DB REPORT_DIR [--live]
      the collector's rollup against every SENSOR.truth.csv of every month,
      and REPORT_DIR/report.json against the last month's expected-report.json
      (every key of the truth); exit 1 on any difference
  demo_check.py headline REPORT_DIR
      the first paragraph of report.html and report.en.html, and the findings
  demo_check.py live-summary LIVE_DIR SENSORS_DIR
      scripts/demo --live: per sensor, frames sent, received, dropped, and
      frames the captures do not hold

Python standard library only."""
import csv
import html.parser
import json
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_diff  # noqa: E402


def load_profile(traffic):
    with open(os.path.join(traffic, "profile.json")) as f:
        return json.load(f)


def capture(profile_json):
    with open(profile_json) as f:
        sensors = json.load(f)["sensors"]
    q = lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]"  # noqa: E731
    for s in sensors:
        print(f"{s['id']} observed: {q(s['observed'])}, ignore_sources: {q(s['ignore_sources'])}")
    return 0


def rollup_check(traffic, db, profile):
    """Every row the collector holds against every row of the truth."""
    truth = []
    for m in profile["months"]:
        for s in profile["sensors"]:
            with open(os.path.join(traffic, m["month"], s["id"] + ".truth.csv"), newline="") as f:
                truth += [(r["day"], s["id"], r["proto"], int(r["port"]), r["src"], r["kind"],
                           int(r["accesses"]), int(r["first_seen"]), int(r["last_seen"]))
                          for r in csv.DictReader(f)]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        counted = con.execute("SELECT day, sensor, proto, port, src, kind, accesses, first_seen,"
                              " last_seen FROM rollup").fetchall()
    finally:
        con.close()
    truth.sort()
    counted.sort()
    if counted == truth:
        print(f"rollup: the collector's {len(counted):,} rows equal teiten-synth's truth "
              f"({len(profile['sensors'])} sensors, {len(profile['months'])} months)")
        return True
    missing, extra = sorted(set(truth) - set(counted)), sorted(set(counted) - set(truth))
    print(f"rollup: MISMATCH: {len(counted):,} rows counted, {len(truth):,} in the truth; "
          f"{len(missing):,} missing, {len(extra):,} not in the truth")
    for r in missing[:5]:
        print("  missing:", r)
    for r in extra[:5]:
        print("  extra:  ", r)
    return False


def report_check(traffic, report_dir, month, live):
    with open(os.path.join(traffic, month, "expected-report.json")) as f:
        truth = json.load(f)
    with open(os.path.join(report_dir, "report.json")) as f:
        got = json.load(f)
    ok = True
    if live:
        drops = [(q["sensor"], q["kernel_drops"], q["if_drops"]) for q in got.get("quality", [])
                 if q.get("kernel_drops") or q.get("if_drops")]
        for sensor, kernel, interface in drops:
            print(f"report: {sensor} dropped frames in {month}: kernel {kernel}, interface "
                  f"{interface} (lower --pps)")
        truth = report_diff.live_truth(truth)
    diffs = report_diff.differences(truth, got)
    if diffs:
        print(f"report: MISMATCH: report.json differs from expected-report.json in "
              f"{len(diffs)} places:")
        for d in diffs[:15]:
            print("  " + d)
        ok = False
    else:
        print(f"report: report.json equals the generator's expected-report.json for {month}: "
              f"{report_diff.values(truth):,} values, every key of the truth"
              + (" (drops measured live: none)" if live else ""))
    return ok


def check(traffic, db, report_dir, live=False):
    profile = load_profile(traffic)
    month = profile["months"][-1]["month"]
    ok = rollup_check(traffic, db, profile)
    return 0 if report_check(traffic, report_dir, month, live) and ok else 1


class FirstParagraph(html.parser.HTMLParser):
    """The text of the first <p> after the first <h2>: the page's summary."""

    def __init__(self):
        super().__init__()
        self.seen_h2 = self.inside = False
        self.text = None
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.seen_h2 = True
        elif tag == "p" and self.seen_h2 and self.text is None:
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "p" and self.inside:
            self.inside = False
            self.text = "".join(self.parts).strip()

    def handle_data(self, data):
        if self.inside:
            self.parts.append(data)


def first_paragraph(page):
    parser = FirstParagraph()
    with open(page, encoding="utf-8") as f:
        parser.feed(f.read())
    return parser.text


def finding_line(f):
    if f["type"] == "surge":
        days = f["start"] if f["end"] == f["start"] else f"{f['start']} to {f['end']}"
        return (f"surge       {f['label']:>10}  {days}, at {f['sensors']} sensor"
                f"{'' if f['sensors'] == 1 else 's'} on its first day, peak {f['peak_sources']} "
                f"sources on {f['peak_day']}")
    if f["type"] == "single_sensor":
        return (f"one sensor  {f['label']:>10}  {f['sensor']} received {f['share']:.0%} of its "
                f"{f['accesses']:,} accesses")
    return f"new entry   {f['label']:>10}  rank {f['rank']} (last month {f['prev_rank']})"


def headline(report_dir):
    for page in ("report.html", "report.en.html"):
        path = os.path.join(report_dir, page)
        if os.path.exists(path):
            print(first_paragraph(path))
            print()
    with open(os.path.join(report_dir, "report.json")) as f:
        findings = json.load(f)["findings"]
    print("Findings (section 1 of the page):")
    for f in findings:
        print("  " + finding_line(f))
    return 0


def live_summary(live_dir, sensors_dir):
    """Frames tcpreplay sent, the daemon received and dropped (its last
    `teitenctl --json status` of each run), and what the capture clock could
    not find in the capture (tests/demo/capture_clock.cpp)."""
    rows = {}
    with open(os.path.join(live_dir, "segments.txt")) as f:
        for line in f:
            sensor, n, _file, packets, _first, _last = line.split()
            r = rows.setdefault(sensor, dict(runs=0, frames=0, sent=0, received=0, kernel=0,
                                             interface=0, unmatched=0, link=""))
            r["runs"] += 1
            r["frames"] += int(packets)
            with open(os.path.join(live_dir, f"{sensor}.{n}.tcpreplay.log")) as t:
                sent = re.search(r"Actual: (\d+) packets", t.read())
            r["sent"] += int(sent.group(1)) if sent else 0
            with open(os.path.join(live_dir, f"{sensor}.{n}.status.json")) as s:
                cap = json.load(s)["arguments"]["capture"]
            r["received"] += cap["packets_received"]
            r["kernel"] += cap["kernel_drops"] or 0
            r["interface"] += cap["interface_drops"] or 0
            r["link"] = cap["link_type"]
    for sensor, r in rows.items():
        with open(os.path.join(sensors_dir, sensor + ".log")) as f:
            r["unmatched"] = sum(int(m) for m in re.findall(r"capture_clock .* unmatched=(\d+)",
                                                            f.read()))
    print(f"{'sensor':<8} {'link':<7} {'runs':>4} {'frames':>9} {'sent':>9} {'received':>9} "
          f"{'kernel drops':>12} {'if drops':>8} {'not in capture':>14}")
    for sensor, r in rows.items():
        print(f"{sensor:<8} {r['link']:<7} {r['runs']:>4} {r['frames']:>9,} {r['sent']:>9,} "
              f"{r['received']:>9,} {r['kernel']:>12,} {r['interface']:>8,} {r['unmatched']:>14,}")
    bad = [s for s, r in rows.items() if r["kernel"] or r["interface"] or r["unmatched"]
           or not r["frames"] == r["sent"] == r["received"]]
    if bad:
        print(f"live capture: frames lost or added at {', '.join(bad)}: the check below will "
              f"show the difference")
    else:
        print("live capture: every frame sent was received, no drops, none added")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "capture":
        return capture(argv[2])
    if len(argv) in (5, 6) and argv[1] == "check" and argv[5:] in ([], ["--live"]):
        return check(argv[2], argv[3], argv[4], live=len(argv) == 6)
    if len(argv) == 3 and argv[1] == "headline":
        return headline(argv[2])
    if len(argv) == 4 and argv[1] == "live-summary":
        return live_summary(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
