#!/usr/bin/env python3
"""Replays every capture in a directory through teiten-sensor: no crash, no hang, the right exit.

    replay_all.py --sensor BIN --dir DIR [--timeout SECONDS]

For each *.pcap / *.pcapng in DIR (default: the shared captures of this workplace) the
sensor runs as `BIN -c CONFIG --read FILE` with a temporary config (UTC, no observed
addresses: every destination counts). A run passes when it ends within the timeout,
is not killed by a signal, and exits 0 — or exits 4 with an error naming the file for
the captures libpcap cannot read fully (exit code 4, README.md "Exit codes"): those listed in UNREADABLE
and any other file on which libpcap (loaded through ctypes) reports an error, except a pcapng
libpcap refuses only for its interfaces of different link types (the sensor counts those).

Exit status: 0 all passed, 1 a failure, 77 DIR does not exist (ctest skip).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_rollup  # noqa: E402  (libpcap_view only)

UNREADABLE = {
    "libpcap-pcap-invalid-version.pcap": "pcap_open_offline fails: archaic pcap savefile format",
    "libpcap-pcapng-shb-option-too-long.pcapng": "pcap_open_offline fails: corrupt section header",
    "suricata-fuzz-caplen-gt-snaplen.pcap": "pcap_next_ex fails after the first record",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sensor", required=True)
    ap.add_argument("--dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                                  "shared", "pcaps"))
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args(argv)
    if not os.path.isdir(a.dir):
        print("SKIP: %s does not exist" % a.dir)
        return 77
    files = sorted(f for f in os.listdir(a.dir) if f.endswith((".pcap", ".pcapng")))
    if not files:
        print("SKIP: no captures in %s" % a.dir)
        return 77
    failures = 0
    for name in files:
        path = os.path.join(a.dir, name)
        want = 4 if name in UNREADABLE else 0
        lp = tshark_rollup.libpcap_view(path)
        # The sensor reads pcapng with its own reader, which takes interfaces of different link types.
        if lp is not None and (lp["error"] or lp["open_failed"]) and \
                tshark_rollup.MIXED_LINK_TYPES not in (lp["error"] or ""):
            want = 4
        tmp = tempfile.mkdtemp(prefix="teiten-replay-")
        try:
            conf = os.path.join(tmp, "sensor.yaml")
            with open(conf, "w") as f:
                f.write("sensor: {id: t01, timezone: UTC}\n")
                f.write("storage: {path: %s, flush_interval: 1s}\n" % os.path.join(tmp, "sensor.db"))
                f.write("control: {socket: %s}\n" % os.path.join(tmp, "control.sock"))
            t0 = time.monotonic()
            try:
                p = subprocess.run([a.sensor, "-c", conf, "--read", path], capture_output=True, text=True,
                                   errors="replace", timeout=a.timeout)
            except subprocess.TimeoutExpired:
                print("FAIL %s: no exit within %gs (hang)" % (name, a.timeout))
                failures += 1
                continue
            dt = time.monotonic() - t0
            rc = p.returncode
            problem = None
            if rc < 0 or rc >= 128:
                problem = "killed by signal %d" % (-rc if rc < 0 else rc - 128)
            elif rc != want:
                problem = "exit %d, expected %d%s" % (rc, want, " (%s)" % UNREADABLE[name] if name in UNREADABLE
                                                      else "")
            elif rc == 4 and name not in p.stderr and path not in p.stderr:
                problem = "exit 4 but stderr does not name the file"
            if problem:
                failures += 1
                print("FAIL %s: %s\n  stderr: %s" % (name, problem, p.stderr.strip()[-800:]))
            else:
                print("ok   %s: exit %d in %.2fs" % (name, rc, dt))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d of %d captures failed" % (failures, len(files)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
