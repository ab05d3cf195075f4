"""A capture file (or several, back to back) as one pcap stream that can
start at any frame, for tests that feed a sensor's standard input
(`teiten-sensor --read -`) and restart it where its database left off:
the soak (tests/soak/soak.py) and the disk-full test."""
import array
import mmap
import struct


class CaptureStream:
    """A sensor's capture files as one pcap stream that can start at any
    frame: the first file's header, then the frames from there on."""

    def __init__(self, paths):
        self.parts = []  # (mmap, offsets: frame starts plus the end)
        self.header = None
        for path in paths:
            with open(path, "rb") as f:
                data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            magic = data[:4]
            order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
            if self.header is None:
                self.header = bytes(data[:24])
            elif data[20:24] != self.header[20:24]:
                raise ValueError(f"{path}: another link type than the stream's")
            offsets, at = array.array("Q"), 24
            while at + 16 <= len(data):
                offsets.append(at)
                at += 16 + struct.unpack_from(order + "I", data, at + 8)[0]
            offsets.append(at)
            self.parts.append((data, offsets))
        self.total = sum(len(o) - 1 for _, o in self.parts)

    def frames(self, start, stop, most=4096):
        """The bytes of frames [start, stop), at most `most` frames per piece."""
        base = 0
        for data, offsets in self.parts:
            n = len(offsets) - 1
            lo, hi = max(start - base, 0), min(stop - base, n)
            while lo < hi:
                upto = min(hi, lo + most)
                yield memoryview(data)[offsets[lo]:offsets[upto]], upto - lo
                lo = upto
            base += n
