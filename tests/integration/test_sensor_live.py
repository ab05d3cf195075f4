"""teiten-sensor capturing live: two network namespaces joined by a veth
pair; tcpreplay sends a known capture from one end, the sensor captures
on the other. The live rollup must equal the same capture replayed with
--read (apart from times, which are arrival times live), with drops
measured as zero rather than unknown."""
import os
import signal
import time

import harness
from harness import Daemon, Netns, query, rollup, write_sensor_config

SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")
SCAN_TARGET = "64.13.134.52"
MIX = os.path.join(harness.DATA, "generated", "filtering.pcap")


class SensorLiveTest(harness.SensorCase):
    def read_reference(self, capture, observed, name="ref"):
        """The same capture through --read: the oracle tests check that path against tshark."""
        config = write_sensor_config(self.tmp.file(f"{name}.yaml"), db=f"{name}.db",
                                     observed=observed)
        r = harness.run([self.sensor, "-c", config, "--read", capture])
        self.assertEqual(r.returncode, 0, r.stderr)
        return rollup(self.tmp.file(f"{name}.db"), "proto, port, src, kind, accesses")

    def capture_live(self, ns, capture, observed, name, capture_extra="promiscuous: true"):
        config = write_sensor_config(self.tmp.file(f"{name}.yaml"), db=f"{name}.db",
                                     observed=observed, interface=ns.if_sensor,
                                     capture_extra=capture_extra)
        daemon = Daemon([self.sensor, "-c", config], self.tmp.file(f"{name}.log"), netns=ns.sensor)
        daemon.wait_log("capture_open")
        r = ns.exec(ns.sender, ["tcpreplay", "-q", "-i", ns.if_sender, "--topspeed", capture])
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        time.sleep(1.0)  # let the last block retire from the ring
        self.assertEqual(daemon.stop(signal.SIGTERM), 0, daemon.log_text())
        return self.tmp.file(f"{name}.db"), daemon

    def test_live_capture_counts_like_read_mode(self):
        with Netns("a") as ns:
            for capture, observed in ((SCAN, [SCAN_TARGET]), (MIX, ["192.0.2.10", "2001:db8::10"])):
                with self.subTest(capture=os.path.basename(capture)):
                    name = os.path.basename(capture).split(".")[0]
                    db, _ = self.capture_live(ns, capture, observed, name)
                    live = rollup(db, "proto, port, src, kind, accesses")
                    self.assertTrue(live)
                    self.assertEqual(live, self.read_reference(capture, observed, f"ref-{name}"))
                    cov = query(db, "SELECT coverage_seconds, packets, kernel_drops, if_drops"
                                    " FROM coverage")
                    self.assertEqual(len(cov), 1)
                    seconds, packets, kernel_drops, if_drops = cov[0]
                    self.assertGreaterEqual(seconds, 1)
                    self.assertGreater(packets, 0)
                    self.assertEqual(kernel_drops, 0)   # measured, and none
                    self.assertIsNotNone(if_drops)      # veth has interface counters

    def test_interface_addresses_are_followed_when_nothing_is_configured(self):
        with Netns("b") as ns:
            ns.exec(ns.sensor, ["ip", "addr", "add", "192.0.2.10/24", "dev", ns.if_sensor])
            config = write_sensor_config(self.tmp.file("follow.yaml"), db="follow.db",
                                         interface=ns.if_sensor,
                                         capture_extra="promiscuous: true\n  address_poll: 1s")
            daemon = Daemon([self.sensor, "-c", config], self.tmp.file("follow.log"),
                            netns=ns.sensor)
            daemon.wait_log("capture_open")
            ns.exec(ns.sender, ["tcpreplay", "-q", "-i", ns.if_sender, MIX])
            # The address moves (a new DHCP lease): traffic to the old one stops counting.
            ns.exec(ns.sensor, ["ip", "addr", "flush", "dev", ns.if_sensor])
            ns.exec(ns.sensor, ["ip", "addr", "add", "192.0.2.99/24", "dev", ns.if_sensor])
            daemon.wait_log("observed_addresses_changed", timeout=15)
            time.sleep(0.5)
            ns.exec(ns.sender, ["tcpreplay", "-q", "-i", ns.if_sender, MIX])
            time.sleep(1.0)
            self.assertEqual(daemon.stop(), 0, daemon.log_text())
        db = self.tmp.file("follow.db")
        dests_before = self.read_reference(MIX, ["192.0.2.10"], "before")
        dests_after = self.read_reference(MIX, ["192.0.2.99"], "after")
        got = {}
        for proto, port, src, kind, acc in rollup(db, "proto, port, src, kind, accesses"):
            got[(proto, port, src, kind)] = acc
        want = {}
        for rows in (dests_before, dests_after):
            for proto, port, src, kind, acc in rows:
                want[(proto, port, src, kind)] = want.get((proto, port, src, kind), 0) + acc
        self.assertEqual(got, want)


if __name__ == "__main__":
    harness.run_tests(require_root=True, require=("tcpreplay", "ip"))
