"""Operating the daemons (issue: control sockets, teitenctl, systemd
behaviour, privilege drop, reload), each against real processes: a live
sensor on a veth pair in network namespaces, a collector on loopback, the
real teitenctl binary, a fake systemd notify socket."""
import json
import os
import signal
import socket
import stat
import subprocess
import threading
import time
import unittest

import harness
from harness import (Daemon, Netns, TempDir, binary, collector_section, free_port, make_certs,
                     query, run, start_collector, write_collector_config, write_sensor_config)

MIX = os.path.join(harness.DATA, "generated", "filtering.pcap")
SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")


class NotifyReceiver:
    """A stand-in for systemd's notify socket: collects what sd_notify sends."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.messages = []  # (monotonic time, text)
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while self.running:
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            self.messages.append((time.monotonic(), data.decode()))

    def lines(self, prefix):
        return [(t, line) for t, m in self.messages for line in m.split("\n") if line.startswith(prefix)]

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


class OperationsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.ctl = binary("teitenctl")
        self.sensor_socket = self.tmp.file("run/sensor/control.sock")

    def tearDown(self):
        self.tmp.cleanup()

    def teitenctl(self, *args, socket_path=None):
        r = run([self.ctl, "-s", socket_path or self.sensor_socket, *args], timeout=60)
        return r

    def ctl_json(self, *args, socket_path=None):
        r = self.teitenctl("--json", *args, socket_path=socket_path)
        self.assertIn(r.returncode, (0, 1, 2), r.stderr)
        return r.returncode, json.loads(r.stdout)

    def start_sensor(self, ns, extra_env=None, flush="60s", user_extra="", observed=("192.0.2.10",)):
        config = write_sensor_config(
            self.tmp.file("sensor.yaml"), db="sensor.db", flush=flush, observed=list(observed),
            interface=ns.if_sensor, capture_extra="promiscuous: true",
            extra=f"control: {{socket: {self.sensor_socket}}}\n" + user_extra)
        env = dict(os.environ, **(extra_env or {}))
        daemon = Daemon([binary("teiten-sensor"), "-c", config], self.tmp.file("sensor.log"),
                        netns=ns.sensor, env=env)
        daemon.wait_log("control_socket")
        return daemon, config

    def send(self, ns, capture=MIX):
        r = ns.exec(ns.sender, ["tcpreplay", "-q", "-i", ns.if_sender, capture])
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_teitenctl_answers_every_sensor_command(self):
        with Netns("o") as ns:
            daemon, config = self.start_sensor(ns)
            self.send(ns)
            code, reply = self.ctl_json("list-commands")
            names = {c["name"] for c in reply["arguments"]["commands"]}
            self.assertLessEqual({"list-commands", "version", "status", "stats", "metrics", "top",
                                  "flush", "config-test", "config-reload"}, names)
            self.assertEqual(self.ctl_json("version")[1]["arguments"]["version"], "0.1.0")
            code, flush = self.ctl_json("flush")
            self.assertEqual(code, 0, flush)
            code, status = self.ctl_json("status")
            self.assertEqual(code, 0)
            a = status["arguments"]
            for key in ("version", "pid", "uptime_seconds", "config", "sensor", "capture",
                        "malformed", "today", "memory", "storage", "shipping"):
                self.assertIn(key, a)
            self.assertEqual(a["pid"], self.sensor_pid(daemon))
            self.assertEqual(a["capture"]["interface"], ns.if_sensor)
            self.assertEqual(a["capture"]["state"], "capturing")
            self.assertEqual(a["capture"]["kernel_drops"], 0)
            self.assertIsInstance(a["capture"]["interface_drops"], int)
            self.assertGreater(a["capture"]["packets_received"], 0)
            self.assertGreater(a["today"]["accesses"], 0)
            self.assertEqual(len(a["config"]["sha256"]), 64)
            self.assertGreater(a["storage"]["free_bytes"], 0)
            self.assertIsNotNone(a["storage"]["last_flush_age_seconds"])
            # The day's committed probes equal what the database holds.
            committed = query(self.tmp.file("sensor.db"),
                              "SELECT count(*), sum(accesses) FROM rollup WHERE kind = 'probe'")[0]
            self.assertEqual(a["today"]["sources"], committed[0])
            code, stats = self.ctl_json("stats")
            names = [c["name"] for c in stats["arguments"]["counters"]]
            self.assertIn("malformed.snaplen", names)
            self.assertIn("kernel_drops", names)
            code, top = self.ctl_json("top", "limit=3")
            self.assertEqual(code, 0)
            self.assertLessEqual(len(top["arguments"]["by_accesses"]), 3)
            self.assertTrue(top["arguments"]["by_sources"])
            self.assertEqual(self.ctl_json("config-test")[0], 0)
            metrics = self.teitenctl("metrics")
            self.assertEqual(metrics.returncode, 0, metrics.stderr)
            self.assertIn("\nteiten_sensor_kernel_drops_total 0\n", metrics.stdout)
            check = subprocess.run(["promtool", "check", "metrics"], input=metrics.stdout,
                                   capture_output=True, text=True, timeout=60)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            readable = self.teitenctl("status")
            self.assertEqual(readable.returncode, 0)
            self.assertIn("kernel_drops", readable.stdout)
            self.assertEqual(self.teitenctl("no-such-command").returncode, 2)
            # An argument a command does not take is an error naming it (issue 12, defect 12).
            code, bogus = self.ctl_json("status", "bogus=1")
            self.assertEqual(bogus["result"], 1, bogus)
            self.assertIn("'bogus'", bogus["text"])
            code, top = self.ctl_json("top", "limit=3", "by=sources")
            self.assertEqual(top["result"], 1, top)
            self.assertIn("'by'", top["text"])
            self.assertEqual(daemon.stop(), 0)
        self.assertEqual(self.teitenctl("status").returncode, 3)  # no daemon answers

    def sensor_pid(self, daemon):
        # The daemon runs under `ip netns exec`, which execs: same pid.
        return daemon.proc.pid

    def test_control_socket_permissions(self):
        with Netns("p") as ns:
            daemon, _ = self.start_sensor(ns)
            self.assertEqual(stat.S_IMODE(os.stat(self.sensor_socket).st_mode), 0o660)
            self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(self.sensor_socket)).st_mode), 0o750)
            self.assertEqual(daemon.stop(), 0)
        self.assertFalse(os.path.exists(self.sensor_socket))

    def test_reload_applies_what_it_can_and_keeps_the_old_config_when_bad(self):
        with Netns("r") as ns:
            daemon, config = self.start_sensor(ns, flush="60s")
            with open(config) as f:
                good = f.read()
            with open(config, "w") as f:
                f.write(good.replace("flush_interval: 60s", "flush_interval: 1s")
                        .replace("promiscuous: true", "promiscuous: true\n  snaplen: 300"))
            code, reply = self.ctl_json("config-reload")
            self.assertEqual(code, 0, reply)
            self.assertIn("storage.flush_interval", reply["arguments"]["applied"])
            self.assertIn("capture.snaplen", reply["arguments"]["restart_required"])
            self.assertEqual(self.ctl_json("status")[1]["arguments"]["storage"]["flush_interval_seconds"], 1)
            # The new interval is live: flushes now happen every second.
            self.send(ns)
            harness.wait_for(lambda: query(self.tmp.file("sensor.db"), "SELECT count(*) FROM rollup")[0][0] > 0,
                             10, what="a flush at the new interval")
            with open(config, "w") as f:
                f.write(good.replace("flush_interval: 60s", "flush_interval: 1x"))
            r = self.teitenctl("config-reload")
            self.assertEqual(r.returncode, 1)
            self.assertIn("sensor.yaml", r.stdout + r.stderr)
            self.assertEqual(self.ctl_json("status")[1]["arguments"]["storage"]["flush_interval_seconds"], 1)
            # SIGHUP reloads too.
            with open(config, "w") as f:
                f.write(good.replace("flush_interval: 60s", "flush_interval: 7s"))
            daemon.proc.send_signal(signal.SIGHUP)
            harness.wait_for(lambda: self.ctl_json("status")[1]["arguments"]["storage"]["flush_interval_seconds"] == 7,
                             10, what="SIGHUP to apply the new interval")
            self.assertEqual(daemon.stop(), 0)

    def test_sigterm_flushes_and_exits_zero(self):
        with Netns("t") as ns:
            daemon, _ = self.start_sensor(ns, flush="1h")
            self.send(ns)
            time.sleep(1)
            self.assertEqual(query(self.tmp.file("sensor.db"), "SELECT count(*) FROM rollup"), [(0,)])
            self.assertEqual(daemon.stop(signal.SIGTERM), 0)
        self.assertGreater(query(self.tmp.file("sensor.db"), "SELECT count(*) FROM rollup")[0][0], 0)

    def test_systemd_notifications_ready_status_and_watchdog(self):
        receiver = NotifyReceiver(self.tmp.file("notify.sock"))
        try:
            with Netns("n") as ns:
                env = {"NOTIFY_SOCKET": receiver.path, "WATCHDOG_USEC": "2000000"}
                daemon, _ = self.start_sensor(ns, extra_env=env)
                harness.wait_for(lambda: receiver.lines("READY=1"), 10, what="READY=1")
                time.sleep(5)
                self.assertEqual(daemon.stop(), 0)
            ready = receiver.lines("READY=1")
            statuses = receiver.lines("STATUS=")
            pets = [t for t, _ in receiver.lines("WATCHDOG=1")]
            self.assertEqual(len(ready), 1)
            self.assertTrue(any("capturing on" in s for _, s in statuses), statuses)
            self.assertGreaterEqual(len(pets), 4)
            gaps = [b - a for a, b in zip(pets, pets[1:])]
            self.assertLess(max(gaps), 2.0, gaps)  # always within the watchdog interval
            self.assertTrue(receiver.lines("STOPPING=1"))
        finally:
            receiver.close()

    def test_a_stuck_capture_loop_stops_the_watchdog_pets_within_watchdog_sec(self):
        # Issue 12, defect 13: the healthy quiet case is the test above; here
        # the capture loop hangs (a test-only fault hook) and systemd must
        # be left without pets, so it would restart the sensor.
        harness.require_fault_hook(self, "teiten-sensor", "TEITEN_FAULT_CAPTURE_STALL")
        receiver = NotifyReceiver(self.tmp.file("notify.sock"))
        watchdog_sec = 2.0
        try:
            with Netns("w") as ns:
                env = {"NOTIFY_SOCKET": receiver.path, "WATCHDOG_USEC": "2000000",
                       # The loop passes about ten times a second (capture.timeout
                       # 100ms) and at least at every watchdog check: pets come first.
                       "TEITEN_FAULT_CAPTURE_STALL": "30"}
                daemon, _ = self.start_sensor(ns, extra_env=env)
                harness.wait_for(lambda: "fault=capture_stall" in daemon.log_text(), 60,
                                 interval=0.05, what="the capture loop to stall")
                stalled = time.monotonic()
                harness.wait_for(lambda: "watchdog_withheld capture_loop_silent_ms" in
                                 daemon.log_text(), 10, what="a withheld pet in the log")
                time.sleep(3 * watchdog_sec)
                ended = time.monotonic()
                self.assertEqual(daemon.stop(), 0)  # the stuck loop still honours a stop
            pets = [t for t, _ in receiver.lines("WATCHDOG=1")]
            self.assertTrue([t for t in pets if t < stalled], "no pet while healthy")
            late = [round(t - stalled, 2) for t in pets if stalled + watchdog_sec < t <= ended]
            self.assertEqual(late, [], "pets after the stall plus WatchdogSec")
        finally:
            receiver.close()

    def test_started_as_root_it_drops_to_the_configured_user_keeping_cap_net_raw(self):
        os.chmod(self.tmp.path, 0o777)
        with Netns("u") as ns:
            daemon, _ = self.start_sensor(ns, user_extra="process: {user: nobody, group: nogroup}\n")
            pid = self.sensor_pid(daemon)
            fields = {}
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    fields[key] = value.split()
            nobody = int(subprocess.check_output(["id", "-u", "nobody"]))
            nogroup = int(subprocess.check_output(["getent", "group", "nogroup"]).split(b":")[2])
            self.assertEqual({int(x) for x in fields["Uid"]}, {nobody})
            self.assertEqual({int(x) for x in fields["Gid"]}, {nogroup})
            cap_net_raw = 1 << 13
            self.assertEqual(int(fields["CapEff"][0], 16), cap_net_raw)
            self.assertEqual(int(fields["CapPrm"][0], 16), cap_net_raw)
            self.assertEqual(os.stat(self.tmp.file("sensor.db")).st_uid, nobody)
            self.send(ns)
            self.assertEqual(self.ctl_json("flush")[0], 0)
            self.assertEqual(daemon.stop(), 0)

    def test_collector_sensors_status_and_reload(self):
        pki = make_certs(self.tmp.file("pki"), "s01", "s02")
        port = free_port()
        sock = self.tmp.file("run/collector/control.sock")
        cconf = write_collector_config(self.tmp.file("collector.yaml"), port, pki, ["s01"],
                                       extra=f"control: {{socket: {sock}}}\n")
        collector = start_collector(cconf, self.tmp.file("collector.log"))
        try:
            sconf = write_sensor_config(self.tmp.file("s01.yaml"), sensor_id="s01",
                                        timezone="Asia/Tokyo", db="s01.db",
                                        extra=collector_section(port, pki, "s01"))
            r = run([binary("teiten-sensor"), "-c", sconf, "--read", SCAN])
            self.assertEqual(r.returncode, 0, r.stderr)
            code, reply = self.ctl_json("sensors", socket_path=sock)
            self.assertEqual(code, 0)
            rows = {s["sensor"]: s for s in reply["arguments"]["sensors"]}
            self.assertEqual(rows["s01"]["batches"], 1)
            self.assertIsNotNone(rows["s01"]["last_batch_age_s"])
            code, status = self.ctl_json("status", socket_path=sock)
            self.assertEqual(status["arguments"]["ingest"]["batches_applied"], 1)
            # s02 is refused until a reload allowlists it.
            s2 = write_sensor_config(self.tmp.file("s02.yaml"), sensor_id="s02",
                                     timezone="Asia/Tokyo", db="s02.db",
                                     extra=collector_section(port, pki, "s02"))
            r = run([binary("teiten-sensor"), "-c", s2, "--ship-timeout", "2", "--read", SCAN])
            self.assertEqual(r.returncode, 3)
            code, reply = self.ctl_json("sensors", socket_path=sock)
            self.assertTrue(any("not in the collector's sensors list" in x["reason"]
                                for x in reply["arguments"]["recent_refusals"]))
            with open(cconf) as f:
                text = f.read().replace("sensors: [s01]", "sensors: [s01, s02]")
            with open(cconf, "w") as f:
                f.write(text)
            code, reply = self.ctl_json("config-reload", socket_path=sock)
            self.assertEqual(code, 0, reply)
            self.assertIn("sensors", reply["arguments"]["applied"])
            r = run([binary("teiten-sensor"), "-c", s2, "--read", harness.os.path.join(harness.DATA, "zeek-empty-0pkts.pcap")])
            self.assertEqual(r.returncode, 0, r.stderr)
            code, stats = self.ctl_json("stats", socket_path=sock)
            values = {c["name"]: c["value"] for c in stats["arguments"]["counters"]}
            self.assertEqual(values["batches_applied"], 2)
            self.assertGreaterEqual(values["refused.not_allowlisted"], 1)
        finally:
            self.assertEqual(collector.stop(), 0)


if __name__ == "__main__":
    harness.run_tests(require_root=True, require=("tcpreplay", "ip", "promtool"))
