#!/usr/bin/env python3
"""Replays a capture through teiten-sensor and compares its rollup with the oracles.

    check_capture.py --sensor BIN --pcap FILE [--tz ZONE] [--observed P ...] [--ignore P ...]
                     [--expect FILE.expect.json] [--exit-code N] [--skip-missing]
    check_capture.py --pcap FILE --expect FILE.expect.json        (no sensor: oracle vs generator)

With --sensor it writes a temporary sensor config (config/sensor.yaml):
    sensor:  {id: t01, timezone: ZONE}
    capture: {observed: [...], ignore_sources: [...]}
    storage: {path: TMP/sensor.db, flush_interval: 1s}
    control: {socket: TMP/control.sock}
runs `BIN -c CONFIG --read FILE`, reads
    SELECT day, proto, port, src, kind, accesses, first_seen, last_seen FROM rollup
with sqlite3, and compares it row by row with tests/oracle/tshark_rollup.py and, when
--expect is given, with the generator's expectation. Without --sensor it compares the
two oracles with each other.

The time zone, observed and ignore_sources default to the --expect file's "config".
Exit status: 0 all agree, 1 a difference (a readable diff is printed), 2 a usage or
setup error, 77 the capture is missing and --skip-missing was given (ctest skip).
"""

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_rollup  # noqa: E402

KEY = ("day", "proto", "port", "src", "kind")


def key_of(r):
    return tuple(r[k] for k in KEY)


def fmt_key(k):
    return "%s %s/%s src=%s %s" % (k[0], k[2], k[1], k[3], k[4])


def yaml_list(items):
    return "[" + ", ".join('"%s"' % i for i in items) + "]"


def write_config(tmp, tz, observed, ignore):
    lines = ["sensor: {id: t01, timezone: %s}" % tz]
    cap = []
    if observed:
        cap.append("observed: " + yaml_list(observed))
    if ignore:
        cap.append("ignore_sources: " + yaml_list(ignore))
    if cap:
        lines.append("capture: {" + ", ".join(cap) + "}")
    lines.append("storage: {path: %s, flush_interval: 1s}" % os.path.join(tmp, "sensor.db"))
    lines.append("control: {socket: %s}" % os.path.join(tmp, "control.sock"))
    path = os.path.join(tmp, "sensor.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run_sensor(binary, config, pcap, timeout):
    cmd = [binary, "-c", config, "--read", pcap]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
        return p.returncode, p.stdout, p.stderr, False
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err, True


def read_rollup(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        cur = con.execute("SELECT day, proto, port, src, kind, accesses, first_seen, last_seen FROM rollup")
        rows, dups = {}, []
        for day, proto, port, src, kind, acc, first, last in cur:
            k = (day, proto, int(port), src, kind)
            if k in rows:
                dups.append(k)
                old = rows[k]
                rows[k] = {"accesses": old["accesses"] + acc, "first_seen": min(old["first_seen"], first),
                           "last_seen": max(old["last_seen"], last)}
            else:
                rows[k] = {"accesses": acc, "first_seen": first, "last_seen": last}
        return rows, dups
    finally:
        con.close()


def read_totals(db):
    """Per-capture totals from the sensor database's coverage view (README.md, "The database": each
    database records packets, malformed, non-IP and ignored counts per day), or None."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        try:
            r = con.execute("SELECT coalesce(sum(packets),0), coalesce(sum(malformed),0), coalesce(sum(non_ip),0), "
                            "coalesce(sum(ignored),0) FROM coverage").fetchone()
        except sqlite3.Error:
            return None
        return {"packets": r[0], "malformed": r[1], "non_ip": r[2], "ignored": r[3]}
    finally:
        con.close()


def compare_totals(ora, tot):
    """Oracle counts vs the database's. The sensor counts packets to unobserved destinations as
    ignored, and may decide 'ignored' before 'malformed' for a packet whose addresses it read, so
    malformed+ignored is compared as one number and malformed alone only as a note."""
    c = ora["counts"]
    o_ign = c["ignored"]["total"] + c["not_observed"]
    diffs, notes = [], []
    unc = len(ora["uncertain"])
    if abs(tot["packets"] - c["packets"]) > 0:
        diffs.append("  packets: oracle=%d sensor=%d" % (c["packets"], tot["packets"]))
    if abs(tot["non_ip"] - c["non_ip"]["total"]) > unc:
        diffs.append("  non-IP frames: oracle=%d sensor=%d" % (c["non_ip"]["total"], tot["non_ip"]))
    if abs((tot["malformed"] + tot["ignored"]) - (c["malformed"]["total"] + o_ign)) > unc:
        diffs.append("  malformed+ignored: oracle=%d+%d sensor=%d+%d" % (c["malformed"]["total"], o_ign,
                                                                          tot["malformed"], tot["ignored"]))
    elif tot["malformed"] != c["malformed"]["total"]:
        notes.append("note: malformed oracle=%d sensor=%d, ignored oracle=%d sensor=%d (order of the checks)"
                     % (c["malformed"]["total"], tot["malformed"], o_ign, tot["ignored"]))
    return diffs, notes


def compare_rows(name_a, rows_a, name_b, rows_b, uncertain=(), check_times=True):
    """rows_*: key -> {accesses, first_seen, last_seen}. uncertain: [{'candidate': {...}}] that
    rows_b (the actual side) may have on top of rows_a. Returns a list of difference lines."""
    diffs = []
    slack = {}
    for u in uncertain:
        c = u.get("candidate")
        if c:
            ck = (c["proto"], c["port"], c["src"], c["kind"])
            slack[ck] = slack.get(ck, 0) + 1
    for k in sorted(set(rows_a) | set(rows_b), key=lambda k: tuple(str(x) for x in k)):
        a, b = rows_a.get(k), rows_b.get(k)
        ck = (k[1], k[2], k[3], k[4])
        if a is None:
            extra = b["accesses"]
            if slack.get(ck, 0) >= extra:
                slack[ck] -= extra
                continue
            diffs.append("  only in %s: %s accesses=%d first_seen=%d last_seen=%d"
                         % (name_b, fmt_key(k), b["accesses"], b["first_seen"], b["last_seen"]))
        elif b is None:
            diffs.append("  only in %s: %s accesses=%d first_seen=%d last_seen=%d"
                         % (name_a, fmt_key(k), a["accesses"], a["first_seen"], a["last_seen"]))
        else:
            d = []
            if a["accesses"] != b["accesses"]:
                more = b["accesses"] - a["accesses"]
                if 0 < more <= slack.get(ck, 0):
                    slack[ck] -= more
                    continue
                d.append("accesses %s=%d %s=%d" % (name_a, a["accesses"], name_b, b["accesses"]))
            if check_times and a["first_seen"] != b["first_seen"]:
                d.append("first_seen %s=%d %s=%d" % (name_a, a["first_seen"], name_b, b["first_seen"]))
            if check_times and a["last_seen"] != b["last_seen"]:
                d.append("last_seen %s=%d %s=%d" % (name_a, a["last_seen"], name_b, b["last_seen"]))
            if d:
                diffs.append("  differs: %s: %s" % (fmt_key(k), ", ".join(d)))
    return diffs


def rows_dict(rows):
    return {key_of(r): {"accesses": r["accesses"], "first_seen": r["first_seen"], "last_seen": r["last_seen"]}
            for r in rows}


def compare_counts(exp, ora):
    """The generator's informational counts vs the oracle's (both follow the same order of checks)."""
    diffs = []
    e, o = exp["counts"], ora["counts"]
    for k in ("packets", "counted", "not_observed"):
        if e[k] != o[k]:
            diffs.append("  count %s: generator=%d oracle=%d" % (k, e[k], o[k]))
    for k in ("malformed", "ignored"):
        if e[k]["total"] != o[k]["total"] or e[k]["by_reason"] != o[k]["by_reason"]:
            diffs.append("  count %s: generator=%s oracle=%s" % (k, json.dumps(e[k]), json.dumps(o[k])))
    if e["non_ip"]["total"] != o["non_ip"]["total"]:
        diffs.append("  count non_ip: generator=%d oracle=%d" % (e["non_ip"]["total"], o["non_ip"]["total"]))
    return diffs


def frame_notes(exp, ora, keys, limit=6):
    """For differing rows, name the frames behind them: the generator's notes, the oracle frames
    counted under the row, and the oracle frames from the same source it did not count."""
    out = []
    for k in sorted(keys, key=lambda k: tuple(str(x) for x in k))[:12]:
        want = (k[1], k[2], k[3], k[4])
        out.append("    %s:" % fmt_key(k))
        if exp:
            hits = [p for p in exp.get("packets", []) if p["expect"].get("result") == "counted"
                    and (p["expect"]["proto"], p["expect"]["port"], p["expect"]["src"], p["expect"]["kind"]) == want]
            for p in hits[:limit]:
                out.append("      generator frame %d (%s): %s" % (p["frame"], p["time"], p["note"]))
        counted = [fr for fr in ora.get("frames", []) if fr.get("result") == "counted"
                   and (fr["proto"], fr["port"], fr["src"], fr["kind"]) == want]
        if counted:
            out.append("      oracle counted frames %s%s" % (", ".join(str(fr["frame"]) for fr in counted[:limit]),
                                                           " ..." if len(counted) > limit else ""))
        others = [fr for fr in ora.get("frames", []) if fr.get("result") != "counted" and fr.get("src") == k[3]]
        for fr in others[:limit]:
            out.append("      oracle frame %d from this source: %s %s" % (fr["frame"], fr["result"],
                                                                          fr.get("reason", fr.get("type", ""))))
        if exp:
            for p in exp.get("packets", []):
                if p["frame"] in {fr["frame"] for fr in others[:limit]}:
                    out.append("      generator frame %d: %s%s" % (p["frame"], p["note"],
                                                                " [decision: %s]" % p["decision"]
                                                                if p.get("decision") else ""))
    return out


def differing(rows_a, rows_b):
    return {k for k in set(rows_a) | set(rows_b) if rows_a.get(k) != rows_b.get(k)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sensor", help="teiten-sensor binary; without it, compare the oracles only")
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--tz")
    ap.add_argument("--observed", nargs="*")
    ap.add_argument("--ignore", nargs="*")
    ap.add_argument("--expect", help="NAME.expect.json from tests/data/generate/make_captures.py")
    ap.add_argument("--exit-code", type=int, default=None,
                    help="the sensor's expected exit status (default 0; 4 for unreadable files)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--skip-missing", action="store_true", help="exit 77 when the capture does not exist")
    ap.add_argument("--no-oracle", action="store_true", help="do not compare with tshark (exit status only)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--rows-only", action="store_true", help="compare the rollup rows only, not the counters")
    ap.add_argument("--tshark", default=os.environ.get("TSHARK", "tshark"))
    ap.add_argument("-v", "--verbose", action="store_true")
    tshark_rollup.add_rule_options(ap)
    a = ap.parse_args(argv)

    if not os.path.exists(a.pcap):
        if a.skip_missing:
            print("SKIP: %s does not exist" % a.pcap)
            return 77
        print("error: %s does not exist" % a.pcap, file=sys.stderr)
        return 2
    exp = None
    if a.expect:
        with open(a.expect) as f:
            exp = json.load(f)
    cfg = exp["config"] if exp else {}
    tz = a.tz or cfg.get("timezone") or "UTC"
    observed = a.observed if a.observed is not None else cfg.get("observed", [])
    ignore = a.ignore if a.ignore is not None else cfg.get("ignore_sources", [])
    if exp and (tz != cfg["timezone"] or observed != cfg["observed"] or ignore != cfg["ignore_sources"]):
        print("error: the command line config differs from %s's" % a.expect, file=sys.stderr)
        return 2
    if not shutil.which(a.tshark) and not a.no_oracle:
        print("SKIP: tshark not found")
        return 77

    name = os.path.basename(a.pcap)
    failures = []
    ora = None
    if not a.no_oracle:
        ora = tshark_rollup.compute(a.pcap, tz, observed, ignore, None, a.tshark, rules=tshark_rollup.rules_of(a))
        ora_rows = rows_dict(ora["rows"])
        if a.verbose:
            print(tshark_rollup.text_report(ora))
        for u in ora["uncertain"]:
            print("note: oracle cannot tell frame %d: %s" % (u["frame"], u["reason"]))
        if exp:
            d = compare_rows("generator", rows_dict(exp["rows"]), "oracle", ora_rows)
            if d:
                failures.append("generator intent vs tshark oracle (%d rows differ):" % len(d))
                failures += d
                failures += frame_notes(exp, ora, differing(rows_dict(exp["rows"]), ora_rows))
            d = compare_counts(exp, ora)
            if d:
                failures.append("generator vs oracle counts:")
                failures += d

    if a.sensor:
        want_exit = a.exit_code if a.exit_code is not None else 0
        tmp = tempfile.mkdtemp(prefix="teiten-check-")
        try:
            conf = write_config(tmp, tz, observed, ignore)
            rc, out, err, hung = run_sensor(a.sensor, conf, a.pcap, a.timeout)
            if a.verbose or hung or rc != want_exit:
                sys.stdout.write(out)
                sys.stdout.write(err)
            if hung:
                failures.append("sensor did not finish within %gs" % a.timeout)
            elif rc < 0 or rc >= 128:
                sig = -rc if rc < 0 else rc - 128
                failures.append("sensor died by signal %d (%s)" % (sig, signal.Signals(sig).name if sig in
                                                                     signal.valid_signals() else "?"))
            elif rc != want_exit:
                failures.append("sensor exit status %d, expected %d" % (rc, want_exit))
            if rc == 4 and name not in err and a.pcap not in err:
                failures.append("exit 4 but the error does not name the file %s: %r" % (name, err[-500:]))
            db = os.path.join(tmp, "sensor.db")
            if not hung and rc is not None and 0 <= rc < 128:
                if not os.path.exists(db):
                    if ora is not None and ora["rows"]:
                        failures.append("no database at %s" % db)
                    sensor_rows = {}
                else:
                    try:
                        sensor_rows, dups = read_rollup(db)
                    except sqlite3.Error as e:
                        failures.append("cannot read the rollup view: %s" % e)
                        sensor_rows, dups = {}, []
                    for k in dups:
                        failures.append("rollup has more than one row for %s" % fmt_key(k))
                tot = read_totals(db) if os.path.exists(db) else None
                if ora is not None and tot is not None and not a.rows_only:
                    d, notes = compare_totals(ora, tot)
                    for n_ in notes:
                        print(n_)
                    if d:
                        failures.append("tshark oracle vs sensor counters (the coverage view):")
                        failures += d
                if ora is not None:
                    d = compare_rows("oracle", ora_rows, "sensor", sensor_rows, ora["uncertain"])
                    if d:
                        failures.append("tshark oracle vs sensor (%d rows differ):" % len(d))
                        failures += d
                        failures += frame_notes(exp, ora, differing(ora_rows, sensor_rows))
                if exp:
                    d = compare_rows("generator", rows_dict(exp["rows"]), "sensor", sensor_rows)
                    if d:
                        failures.append("generator intent vs sensor (%d rows differ):" % len(d))
                        failures += d
        finally:
            if a.keep:
                print("kept %s" % tmp)
            else:
                shutil.rmtree(tmp, ignore_errors=True)

    if failures:
        print("FAIL %s" % name)
        print("\n".join(failures))
        return 1
    n = len(ora["rows"]) if ora else 0
    print("OK %s: %d rows%s" % (name, n, " (sensor agrees)" if a.sensor else " (oracles agree)" if exp else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
