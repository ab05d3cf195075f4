#!/usr/bin/env python3
"""What each sensor of scripts/demo --live replays: its months' captures
one after another, cut where the profile says the sensor was absent (a
power cut), because a live sensor that is running counts its coverage even
on days without packets; the demo stops it for the absence and starts it
again, as the power cut would have.

  live_segments.py TRAFFIC_DIR OUT_DIR
      writes OUT_DIR/SENSOR.N.pcap (N = 1, 2, ...) and prints one line per
      segment: SENSOR N FILE PACKETS FIRST_DAY LAST_DAY

Reads classic pcap files as teiten-synth writes them (microseconds, one
link type per sensor). Python standard library only."""
import datetime
import json
import os
import struct
import sys
import zoneinfo

GLOBAL_HEADER = struct.Struct("<IHHiIII")
RECORD_HEADER = struct.Struct("<IIII")
MAGIC_MICROSECONDS = 0xA1B2C3D4


def records(path):
    """(seconds, record bytes) of each frame, and the file's global header."""
    with open(path, "rb") as f:
        header = f.read(GLOBAL_HEADER.size)
        if GLOBAL_HEADER.unpack(header)[0] != MAGIC_MICROSECONDS:
            raise SystemExit(f"{path}: not a little-endian microsecond pcap file")
        frames = []
        while True:
            rec = f.read(RECORD_HEADER.size)
            if not rec:
                break
            sec, _usec, caplen, _length = RECORD_HEADER.unpack(rec)
            frames.append((sec, rec + f.read(caplen)))
        return header, frames


def absences(days, zone):
    """[start, end) in Unix seconds of each run of consecutive absent days."""
    runs = []
    for text in sorted(days):
        day = datetime.date.fromisoformat(text)
        start = int(datetime.datetime.combine(day, datetime.time(), zone).timestamp())
        end = int(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(),
                                            zone).timestamp())
        if runs and runs[-1][1] == start:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    return runs


def segments(traffic, sensor, months, zone):
    cuts = [start for start, _ in absences(sensor["absent"], zone)]
    header, out = None, [[]]
    for month in months:
        h, frames = records(os.path.join(traffic, month, sensor["id"] + ".pcap"))
        if header is None:
            header = h
        elif h[20:] != header[20:]:
            raise SystemExit(f"{sensor['id']}: {month} has another link type")
        for sec, frame in frames:
            while cuts and sec >= cuts[0]:
                cuts.pop(0)
                if out[-1]:
                    out.append([])
            out[-1].append((sec, frame))
    return header, [s for s in out if s]


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    traffic, out_dir = argv[1], argv[2]
    with open(os.path.join(traffic, "profile.json")) as f:
        profile = json.load(f)
    zone = zoneinfo.ZoneInfo(profile["timezone"])
    months = [m["month"] for m in profile["months"]]
    os.makedirs(out_dir, exist_ok=True)
    day = lambda sec: datetime.datetime.fromtimestamp(sec, zone).date()  # noqa: E731
    for sensor in profile["sensors"]:
        header, parts = segments(traffic, sensor, months, zone)
        for n, part in enumerate(parts, 1):
            path = os.path.join(out_dir, f"{sensor['id']}.{n}.pcap")
            with open(path, "wb") as f:
                f.write(header)
                for _, frame in part:
                    f.write(frame)
            print(sensor["id"], n, path, len(part), day(part[0][0]), day(part[-1][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
