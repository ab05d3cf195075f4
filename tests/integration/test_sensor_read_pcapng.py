"""teiten-sensor --read on pcapng files whose interfaces have different link
types (issue 12, defect 14): counted per interface, from a file, a pipe or
a FIFO; unknown link types counted as malformed (link_unknown); a file cut
inside a block exits 4 naming it and keeps the packets before the cut.
What tshark counts in such files is checked by the capture oracle
(sensor.capture.mergecap-six-link-types.pcapng, tests/oracle)."""
import os
import struct
import subprocess
import threading

import harness
from harness import query, rollup, run, write_sensor_config

MERGED = os.path.join(harness.DATA, "mergecap-six-link-types.pcapng")
MERGED_PACKETS = 130


def block(kind, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)


def pcapng(link_types, packets):
    """Little-endian pcapng: one IDB per link type, then (interface, seconds, frame) as EPBs."""
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for lt in link_types:
        out += block(1, struct.pack("<HHI", lt, 0, 0))
    for interface, seconds, frame in packets:
        ts = seconds * 1_000_000
        out += block(6, struct.pack("<IIIII", interface, ts >> 32, ts & 0xFFFFFFFF, len(frame), len(frame))
                     + frame)
    return out


def ipv4_syn(src, dst, port):
    tcp = struct.pack(">HHIIBBHHH", 40000, port, 1, 0, 5 << 4, 0x02, 1024, 0, 0)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, bytes(src), bytes(dst))
    return ip + tcp


def ethernet(payload):
    return b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + payload


def packet_blocks_before(data, cut):
    """Packet blocks lying wholly before byte `cut` of a little-endian pcapng."""
    at, n = 0, 0
    while at + 8 <= len(data):
        kind, length = struct.unpack_from("<II", data, at)
        if at + length > cut:
            break
        n += kind in (2, 3, 6)
        at += length
    return n


class SensorReadPcapngTest(harness.SensorCase):
    def config(self, db):
        return write_sensor_config(self.tmp.file(db + ".yaml"), timezone="Asia/Tokyo", db=db)

    def packets(self, db):
        return query(self.tmp.file(db), "SELECT coalesce(sum(packets), 0) FROM coverage")[0][0]

    def test_interfaces_of_different_link_types_are_each_decoded_with_their_own(self):
        t = 1_700_000_000
        src, dst = [203, 0, 113, 5], [192, 0, 2, 1]
        path = self.tmp.file("three.pcapng")
        with open(path, "wb") as f:
            f.write(pcapng([1, 147, 101], [(0, t, ethernet(ipv4_syn(src, dst, 22))),
                                           (1, t + 1, ipv4_syn(src, dst, 25)),  # DLT_USER0: not decoded
                                           (2, t + 2, ipv4_syn(src, dst, 23))]))
        r = run([self.sensor, "-c", self.config("three.db"), "--read", path])
        self.assertEqual(r.returncode, 0, r.stderr)
        db = self.tmp.file("three.db")
        self.assertEqual([(row[1], row[2], row[5]) for row in rollup(db)], [("tcp", 22, 1), ("tcp", 23, 1)])
        self.assertEqual(query(db, "SELECT value FROM counters WHERE name = 'malformed.link_unknown'"), [(1,)])
        self.assertIn("unsupported_link_type", r.stderr)
        self.assertIn("interface=1 link_type=DLT 147", r.stderr)

    def test_a_pipe_and_a_fifo_count_what_the_file_counts(self):
        self.assertEqual(run([self.sensor, "-c", self.config("file.db"), "--read", MERGED]).returncode, 0)
        with open(MERGED, "rb") as f:
            data = f.read()
        proc = subprocess.Popen([self.sensor, "-c", self.config("pipe.db"), "--read", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, err = proc.communicate(data, timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        fifo = self.tmp.file("merged.fifo")
        os.mkfifo(fifo)

        def feed():
            with open(fifo, "wb") as w:
                for i in range(0, len(data), 1000):  # in pieces, as a slow writer would
                    w.write(data[i:i + 1000])
                    w.flush()

        writer = threading.Thread(target=feed)
        writer.start()
        r = run([self.sensor, "-c", self.config("fifo.db"), "--read", fifo])
        writer.join()
        self.assertEqual(r.returncode, 0, r.stderr)
        expected = rollup(self.tmp.file("file.db"))
        self.assertTrue(expected)
        self.assertEqual(self.packets("file.db"), MERGED_PACKETS)
        for db in ("pipe.db", "fifo.db"):
            self.assertEqual(rollup(self.tmp.file(db)), expected, db)
            self.assertEqual(self.packets(db), MERGED_PACKETS, db)

    def test_a_file_cut_inside_a_block_exits_4_and_keeps_the_packets_before_the_cut(self):
        with open(MERGED, "rb") as f:
            data = f.read()
        cut = len(data) * 2 // 3 + 5
        path = self.tmp.file("cut.pcapng")
        with open(path, "wb") as f:
            f.write(data[:cut])
        before = packet_blocks_before(data, cut)
        self.assertTrue(0 < before < MERGED_PACKETS)
        r = run([self.sensor, "-c", self.config("cut.db"), "--read", path])
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn(path, r.stderr)
        self.assertIn(f"read error after {before} packets", r.stderr)
        self.assertIn("bytes before the block's end", r.stderr)
        self.assertEqual(self.packets("cut.db"), before)


if __name__ == "__main__":
    harness.run_tests()
