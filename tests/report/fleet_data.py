"""Six months of a small synthetic fleet with planted events, and the
report.json the report must write for it, computed here independently of
teiten's C++ (Python's statistics module for the surge rule, Debian's
python3-location for countries and ASes, ipaddress for special-purpose
addresses).

Planted (July 2010):
  - 5060/udp surges from 9 July at s01..s04 (15 new sources each a day),
    and enters the top ten;
  - 27649/udp reaches only s05 (2..6 July, 50 sources a day);
  - s06 is missing 20..24 July (no rows, no coverage); s03 is partial on
    15 July (40,000 s of coverage);
  - backscatter and other traffic beside the accesses; malformed counts and
    kernel drops in the coverage data.
"""
import datetime
import ipaddress
import json
import random
import statistics

SENSORS = [f"s{i:02d}" for i in range(1, 7)]
FIRST = datetime.date(2010, 2, 1)
LAST = datetime.date(2010, 7, 31)
MONTH = "2010-07"
EPOCH = datetime.date(1970, 1, 1)

BACKGROUND_PORTS = [("tcp", 445)] * 8 + [("tcp", 1433)] * 4 + [("tcp", 135)] * 3 + \
    [("icmp", 8)] * 3 + [("tcp", 139)] * 2 + [("tcp", 22)] * 2 + [("tcp", 23)] * 2 + \
    [("tcp", 9415), ("tcp", 80), ("tcp", 8080), ("tcp", 3389), ("udp", 1434), ("tcp", 5900)]
SPECIAL = ["10.1.2.3", "192.168.7.9", "100.64.3.3", "198.51.100.77", "2001:db8::5"]
FIRST_OCTETS = [1, 14, 27, 36, 41, 58, 59, 60, 61, 77, 78, 81, 85, 89, 91, 94, 95, 101, 103, 110,
                111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 175,
                177, 180, 182, 183, 186, 187, 189, 190, 200, 201, 202, 210, 211, 218, 219, 220,
                221, 222]


def day_text(d):
    return d.isoformat()


def days(first=FIRST, last=LAST):
    d = first
    while d <= last:
        yield d
        d += datetime.timedelta(days=1)


def label(proto, port):
    if proto in ("tcp", "udp"):
        return f"{port}/{proto}"
    if proto == "icmp":
        return "Ping (ICMP)" if port == 8 else f"ICMP type {port}"
    if proto == "ip" and port == 47:
        return "GRE"
    raise ValueError(proto)


class Fleet:
    """rows: (day, sensor, proto, port, kind, src, accesses); days: coverage."""

    def __init__(self, seed=20100709):
        rnd = random.Random(seed)
        pool = [f"{rnd.choice(FIRST_OCTETS)}.{rnd.randrange(256)}.{rnd.randrange(256)}."
                f"{rnd.randrange(1, 255)}" for _ in range(2500)]
        pool += SPECIAL + ["2400:cb00:2048:1::c629:d7a2", "2a01:4f8:c0c:1234::1"]
        self.rows = {}
        self.coverage = {}  # (day, sensor) -> (capture_seconds, packets, kernel_drops)
        self.counters = []  # (day, sensor, name, value)

        def add(d, s, proto, port, kind, src, n):
            key = (d, s, proto, port, kind, src)
            self.rows[key] = self.rows.get(key, 0) + n

        for d in days():
            for si, s in enumerate(SENSORS):
                if s == "s06" and datetime.date(2010, 7, 20) <= d <= datetime.date(2010, 7, 24):
                    continue
                seconds = 40000 if (s == "s03" and d == datetime.date(2010, 7, 15)) else 86400
                self.coverage[(d, s)] = (seconds, rnd.randrange(500, 2000),
                                         rnd.choice([0, 0, 0, 3]))
                if rnd.random() < 0.2:
                    self.counters.append((d, s, "malformed.snaplen", rnd.randrange(1, 9)))
                for _ in range(rnd.randrange(25, 45)):
                    proto, port = rnd.choice(BACKGROUND_PORTS)
                    add(d, s, proto, port, "probe", rnd.choice(pool), rnd.randrange(1, 7))
                if rnd.random() < 0.5:
                    add(d, s, "tcp", 80, "backscatter", rnd.choice(pool), rnd.randrange(1, 4))
                if rnd.random() < 0.3:
                    add(d, s, "ip", 47, "other", rnd.choice(pool), 1)
                if d >= datetime.date(2010, 7, 9) and si < 4:
                    for k in range(15):
                        add(d, s, "udp", 5060, "probe",
                            f"218.{d.day}.{si}.{k + 1}", rnd.randrange(1, 4))
                if s == "s05" and datetime.date(2010, 7, 2) <= d <= datetime.date(2010, 7, 6):
                    for k in range(50):
                        add(d, s, "udp", 27649, "probe", f"94.{d.day}.9.{k + 1}",
                            rnd.randrange(1, 4))

    def lines(self):
        out = []
        for (d, s), (seconds, packets, drops) in sorted(self.coverage.items()):
            out.append(f"day {s} {day_text(d)} {seconds} {packets} {drops} - - -")
        for d, s, name, value in self.counters:
            out.append(f"counter {s} {day_text(d)} {name} {value}")
        for (d, s, proto, port, kind, src), n in sorted(self.rows.items()):
            t = ((d - EPOCH).days) * 86400 + 100
            out.append(f"row {s} {day_text(d)} {proto} {port} {kind} {src} {n} {t} {t}")
        return "\n".join(out) + "\n"


class Geo:
    """Country and AS as the report must give them, from python3-location."""

    def __init__(self, path="/var/lib/location/database.db"):
        import location  # Debian python3-location
        self.db = location.Database(path)
        with open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8") as f:
            self.codes = {c["alpha_2"] for c in json.load(f)["3166-1"]}
        self.cache = {}

    def lookup(self, src):
        if src in self.cache:
            return self.cache[src]
        answer = ("ZZ", 0, "")
        if ipaddress.ip_address(src).is_global:
            net = self.db.lookup(src)
            if net is not None:
                code = net.country_code if net.country_code in self.codes else "ZZ"
                asn = net.asn or 0
                a = self.db.get_as(asn) if asn else None
                answer = (code, asn, a.name if a else "")
        self.cache[src] = answer
        return answer


def month_days(month):
    y, m = map(int, month.split("-"))
    first = datetime.date(y, m, 1)
    nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def prev_month(month):
    y, m = map(int, month.split("-"))
    return f"{y - (m == 1):04d}-{(m - 2) % 12 + 1:02d}"


def ranked(totals, by_sources=False):
    """Keys by the count, then the other count (both descending), then key."""
    i, j = (1, 0) if by_sources else (0, 1)
    return sorted(totals, key=lambda k: (-totals[k][i], -totals[k][j], k))


def expected_report(fleet, geo, month=MONTH, top=10):
    db_first, db_last = FIRST, LAST
    first, last = month_days(month)
    first, last = max(first, db_first), min(last, db_last)
    observed = {(d, s) for (d, s), c in fleet.coverage.items() if c[0] > 0 or c[1] > 0}
    observed |= {(k[0], k[1]) for k in fleet.rows}
    mdays = list(days(first, last))
    sensors = sorted({s for d, s in observed if first <= d <= last})

    def totals(kind, lo, hi):
        t = {}
        for (d, s, proto, port, k, src), n in fleet.rows.items():
            if k == kind and lo <= d <= hi:
                a = t.setdefault(label(proto, port), [0, 0, proto, port])
                a[0] += n
                a[1] += 1
        return t

    def month_figures(mon):
        lo, hi = month_days(mon)
        lo, hi = max(lo, db_first), min(hi, db_last)
        obs = sum(1 for (d, s) in observed if lo <= d <= hi)
        t = totals("probe", lo, hi)
        acc = sum(v[0] for v in t.values())
        src = sum(v[1] for v in t.values())
        return obs, acc, src

    now = totals("probe", first, last)
    prev_m = prev_month(month)
    pobs, pacc, psrc = month_figures(prev_m)
    plo, phi = month_days(prev_m)
    prev = totals("probe", plo, phi)
    acc = sum(v[0] for v in now.values())
    src = sum(v[1] for v in now.values())
    observed_now = sum(1 for (d, s) in observed if first <= d <= last)
    possible = len(sensors) * len(mdays)
    exp = {
        "month": month, "sensors": len(sensors), "days": len(mdays),
        "totals": {"accesses": acc, "sources": src,
                   "backscatter": sum(v[0] for v in totals("backscatter", first, last).values()),
                   "other": sum(v[0] for v in totals("other", first, last).values()),
                   "distinct_sources": len({k[5] for k in fleet.rows
                                            if k[4] == "probe" and first <= k[0] <= last})},
        "per_sensor_day": {"accesses": acc / observed_now, "sources": src / observed_now,
                           "nominal_accesses": acc / possible, "nominal_sources": src / possible},
        "coverage": {"sensor_days_observed": observed_now, "sensor_days_possible": possible},
        "previous": {"month": prev_m, "accesses": pacc, "sources": psrc},
    }
    rank_now = {k: i + 1 for i, k in enumerate(ranked(now))}
    rank_now_s = {k: i + 1 for i, k in enumerate(ranked(now, True))}
    rank_prev = {k: i + 1 for i, k in enumerate(ranked(prev))}
    rank_prev_s = {k: i + 1 for i, k in enumerate(ranked(prev, True))}
    exp["ports"] = [{"label": k, "proto": now[k][2], "port": now[k][3], "accesses": now[k][0],
                     "sources": now[k][1], "rank": rank_now[k], "prev_rank": rank_prev.get(k),
                     "rank_by_sources": rank_now_s[k], "prev_rank_by_sources": rank_prev_s.get(k)}
                    for k in ranked(now)]
    daily = []
    for d in mdays:
        t = totals("probe", d, d)
        daily.append({"day": day_text(d), "accesses": sum(v[0] for v in t.values()),
                      "sources": sum(v[1] for v in t.values()),
                      "backscatter": sum(v[0] for v in totals("backscatter", d, d).values()),
                      "other": sum(v[0] for v in totals("other", d, d).values())})
    exp["daily"] = daily

    regions, asns, prev_regions = {}, {}, {}
    for (d, s, proto, port, k, src), n in fleet.rows.items():
        if k != "probe":
            continue
        code, asn, name = geo.lookup(src)
        if first <= d <= last:
            r = regions.setdefault(code, [0, 0])
            r[0] += n
            r[1] += 1
            a = asns.setdefault(asn, [0, 0, name])
            a[0] += n
            a[1] += 1
        elif plo <= d <= phi:
            r = prev_regions.setdefault(code, [0, 0])
            r[0] += n
            r[1] += 1
    prev_region_rank = {k: i + 1 for i, k in enumerate(ranked(prev_regions))}
    exp["regions"] = [{"code": c, "accesses": regions[c][0], "sources": regions[c][1],
                       "rank": i + 1, "prev_rank": prev_region_rank.get(c)}
                      for i, c in enumerate(ranked(regions))]
    order = sorted(asns, key=lambda a: (-asns[a][0], -asns[a][1], a))
    exp["asns"] = [{"asn": a, "name": asns[a][2], "accesses": asns[a][0], "sources": asns[a][1]}
                   for a in order]
    exp["findings"] = findings(fleet, observed, now, prev, first, last, db_first, top)
    exp["months"] = []
    for back in range(5, -1, -1):
        mon = month
        for _ in range(back):
            mon = prev_month(mon)
        obs, macc, msrc = month_figures(mon)
        if obs:
            exp["months"].append({"month": mon, "accesses": macc, "sources": msrc,
                                  "sensor_days_observed": obs})
    exp["quality"] = {}
    for s in sensors:
        exp["quality"][s] = {
            "missing_days": [day_text(d) for d in mdays if (d, s) not in observed],
            "partial_days": [day_text(d) for d in mdays
                             if (d, s) in fleet.coverage and fleet.coverage[(d, s)][0] < 0.9 * 86400],
            "malformed": sum(v for (d, x, name, v) in fleet.counters
                             if x == s and first <= d <= last),
            "kernel_drops": sum(c[2] for (d, x), c in fleet.coverage.items()
                                if x == s and first <= d <= last)}
    return exp


def findings(fleet, observed, now, prev, first, last, db_first, top,
             window=28, k_iqr=3.0, k_sd=3.0, floor=20, min_baseline=7, single_min=100,
             single_share=0.8):
    out = []
    seen_days = {d for d, s in observed}
    daily = {}  # label -> {day: summed sources}
    per_day_sensors = {}
    for (d, s, proto, port, k, src), n in fleet.rows.items():
        if k != "probe":
            continue
        lab = label(proto, port)
        daily.setdefault(lab, {})
        daily[lab][d] = daily[lab].get(d, 0) + 1
        per_day_sensors.setdefault((lab, d), set()).add(s)
    for lab in sorted(now):
        run = None
        for d in days(first, last):
            v = daily[lab].get(d, 0)
            base = [daily[lab].get(b, 0) for b in
                    (d - datetime.timedelta(days=i) for i in range(1, window + 1))
                    if b >= db_first and b in seen_days]
            flagged = False
            if v >= floor and len(base) >= min_baseline:
                if len(base) == 1:
                    q1 = med = q3 = base[0]
                else:
                    q1, med, q3 = statistics.quantiles(base, n=4, method="inclusive")
                flagged = v > med + k_iqr * (q3 - q1) and \
                    v > statistics.fmean(base) + k_sd * statistics.pstdev(base)
            if flagged and run is None:
                run = {"type": "surge", "label": lab, "start": day_text(d),
                       "sensors": len(per_day_sensors[(lab, d)])}
                out.append(run)
            elif not flagged:
                run = None
    out.sort(key=lambda f: (f["start"], f["label"]))
    singles = []
    sensors_in_month = {s for d, s in observed if first <= d <= last}
    if len(sensors_in_month) >= 2:
        for lab in sorted(now):
            if now[lab][0] < single_min:
                continue
            by_sensor = {}
            for (d, s, proto, port, k, src), n in fleet.rows.items():
                if k == "probe" and first <= d <= last and label(proto, port) == lab:
                    by_sensor[s] = by_sensor.get(s, 0) + n
            best = max(sorted(by_sensor), key=lambda s: by_sensor[s])
            share = by_sensor[best] / now[lab][0]
            if share >= single_share:
                singles.append({"type": "single_sensor", "label": lab, "sensor": best,
                                "share": share})
    singles.sort(key=lambda f: (-f["share"], -now[f["label"]][0], f["label"]))
    out += singles
    if prev:
        before = set(ranked(prev)[:top])
        for i, lab in enumerate(ranked(now)[:top]):
            if lab not in before:
                out.append({"type": "new_entry", "label": lab, "rank": i + 1})
    return out
