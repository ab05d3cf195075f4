#!/usr/bin/env python3
"""The tshark oracle: what teiten-sensor must count in a capture, per docs/counting.md.

    tshark_rollup.py FILE --tz ZONE [--observed P ...] [--ignore P ...] [--collector ADDR]
                     [--format json|text] [--frames]

Everything about a packet comes from tshark:
    tshark -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -r FILE -T fields -e ...
and this script applies the counting rules to those fields. It shares no code with
the sensor or with tests/data/generate/make_captures.py, so the three can check
one another.

Output: the expected rollup rows (day, proto, port, src, kind, accesses, first_seen,
last_seen), the per port type totals (accesses, distinct sources) and the counts of
malformed, non-IP, ignored and not-observed packets.

Where tshark's view and the counting rules (docs/counting.md) differ, the oracle
implements the rules. The edges, each
found on the captures in tests/data and /work/shared/pcaps with tshark 4.0.17:

  E1 IPv4 total length 0. tshark assumes TCP segmentation offload and replaces it by
     the frame length (the IP header then looks valid and the TCP below is decoded).
     The rules: a total length below the header length is an invalid header. The oracle
     runs tshark with -o ip.tso_support:FALSE, so ip.len carries the real value.
  E2 Header validity is computed here, not taken from tshark's exceptions: the link
     header length is known per link type (Ethernet 14 + 4 per VLAN tag, SLL 16,
     SLL2 20, BSD null/loop 4, raw 0), so the captured and on-the-wire IP lengths
     are frame.cap_len/frame.len minus it. A header is valid when the version is the
     one the link promised, IHL >= 5, the header is captured, and the total length
     (IPv6: 40 + payload length) lies between the header length and the bytes on the
     wire. The transport header is looked for within min(captured, total length), so
     Ethernet padding is never read as TCP/UDP/ICMP.
  E3 Version versus link type. tshark's ip dissector hands a version-6 packet behind
     EtherType 0x0800, LINKTYPE_IPV4 or BSD AF_INET to its ipv6 dissector and decodes
     it. The rules want a valid header of the promised protocol: the oracle calls it
     malformed (reason ip-version). LINKTYPE_RAW (101) is the only link type where
     the version nibble chooses.
  E4 TCP through the flags byte. The rules need 14 bytes of TCP; tshark 4.0 shows only
     the ports unless all 20 bytes of the base header are there. ICMP/ICMPv6: the rules
     needs the type and code (2 bytes); tshark shows no icmp.type below 4 bytes. For
     those frames (only) the oracle makes a second tshark pass with -T json -x and
     reads the flags byte / type byte from frame_raw at the offset computed under E2.
  E5 TCP data offset below 5: tshark reports a bogus header length and shows no
     flags. The oracle treats it as an invalid TCP header (malformed, reason tcp).
     A data offset beyond the segment with the flags captured is counted (the rules ask
     only for the bytes through the flags).
  E6 Tunnels and ICMP quotes: tshark decodes inner packets (ICMP errors, GRE, IP-in-IP,
     6in4, AH) and repeats ip.src, tcp.flags, ... for them. The oracle takes the FIRST
     occurrence of outer fields, reads transport fields only when the outer protocol is
     TCP/UDP/ICMP, and never walks IPv6 extension headers for an IPv4 packet (tshark
     decodes IPv4 protocol 0 as an IPv6 hop-by-hop header).
  E7 Files libpcap reads differently (the sensor reads pcap "as libpcap reads them", and pcapng
     with its own reader, which reads what libpcap reads and also interfaces of different link
     types). For a pcapng libpcap refuses for its mixed link types, tshark's frames stand (as
     the sensor's reader, tshark reads every interface). For a pcap whose records look
     corrupt, tshark silently guesses one of the
     "modified pcap" record formats (suricata-fuzz-caplen-gt-snaplen.pcap: tshark's
     frame 1 is 8 bytes off and it shows a second, bogus frame). The oracle opens the
     file with libpcap through ctypes (record headers only, no decoding) and keeps the
     frames libpcap delivers; a frame whose MD5 (tshark's frame.md5_hash) or lengths
     differ from libpcap's record is reported as uncertain, and so is every frame when
     libpcap cannot open the file. Without libpcap (ctypes) this guard is skipped.
  E8 Timestamps. tshark prints frame.time_epoch with the nanoseconds of the record;
     a microsecond field of 1000000 comes out as ".1000000000" and is carried into the
     seconds here (libpcap passes the same value; a normalised time is one second
     later). A microsecond field >= 2^31 is printed by tshark as if 0, while libpcap
     passes it negative: tshark cannot tell such a packet's time, so when libpcap's
     time differs from tshark's the frame is reported as uncertain.
  E9 Direction: only a cooked capture's packet type (sll.pkttype 4 = outgoing, SLL and
     SLL2) excludes a frame. pcapng epb_flags direction is shown by tshark
     (frame.packet_flags_direction) but libpcap does not pass it on, so it is ignored.
  E10 BSD null: tshark accepts the family in either byte order and shows the small
     value in null.family; families 2, 24, 28, 30 are IP, any other value is non-IP
     (tshark decodes some garbage values, e.g. 0x0008000f in
     pcpp-null-loopback-af2-af30-bad.pcap, as an EtherType and shows IPv4: non-IP here).
  E11 Cut by the snaplen. tshark can tell it (frame.cap_len < frame.len); a packet whose
     needed header bytes exist on the wire but were not captured is malformed with
     reason "snaplen", and counted normally when the needed bytes were captured.

  E12 PPPoE session frames (EtherType 0x8864) carrying PPP protocol 0x0021/0x0057 are IPv4/IPv6
     behind an 8-byte PPPoE+PPP header (tshark: pppoes:ppp:ip); other PPP protocols are non-IP.
     An IPv6 payload length of 0 with a hop-by-hop header is a jumbogram (RFC 2675): the
     bytes on the wire bound it. Both as the sensor's decoder does; the rules are silent.

Three edges the rules leave open are options (Config, --tcp-offset/--ip-length/--time); the
defaults are this oracle's reading and match READING in tests/data/generate/make_captures.py:
a TCP data offset below 5 is an invalid TCP header; an IP length beyond the bytes on the wire
is an invalid IP header; the packet time is the normalised timestamp (seconds + fraction).

Uncertain frames are not counted in the rows; they are listed with the row they would
make, and check_capture.py allows the sensor that many extra accesses on such rows.
"""

import argparse
import ctypes
import ctypes.util
import hashlib
import ipaddress
import json
import os
import shutil
import subprocess
import tempfile
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

REFLECTION_PORTS = {19, 53, 123, 161, 389, 1900, 3702, 5353, 11211}
ICMP4_PROBE = {8, 13, 15, 17}
ICMP4_BACKSCATTER = {0, 3, 4, 5, 11, 12, 14, 16, 18}
ICMP6_PROBE = {128}
ICMP6_BACKSCATTER = {1, 2, 3, 4, 129}

# wiretap encapsulations (frame.encap_type) -> link header length, or None when it varies
ENCAP_ETHERNET, ENCAP_RAW_IP, ENCAP_NULL, ENCAP_SLL, ENCAP_RAW_IP4, ENCAP_RAW_IP6 = 1, 7, 15, 25, 129, 130
ENCAP_LOOP, ENCAP_SLL2 = 174, 210

FIELDS = [
    "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len", "frame.encap_type", "frame.protocols",
    "frame.md5_hash",
    "eth.type", "eth.len", "ieee8021ah.etype", "vlan.etype",
    "sll.pkttype", "sll.etype", "sll.ltype", "null.family", "null.type", "ppp.protocol",
    "ip.version", "ip.hdr_len", "ip.len", "ip.frag_offset", "ip.proto", "ip.src", "ip.dst",
    "ipv6.plen", "ipv6.nxt", "ipv6.src", "ipv6.dst",
    "ipv6.hopopts.nxt", "ipv6.hopopts.len_oct", "ipv6.routing.nxt", "ipv6.routing.len_oct",
    "ipv6.dstopts.nxt", "ipv6.dstopts.len_oct", "ipv6.fraghdr.nxt", "ipv6.fraghdr.offset",
    "tcp.srcport", "tcp.dstport", "tcp.hdr_len", "tcp.flags",
    "udp.srcport", "udp.dstport", "icmp.type", "icmpv6.type",
]

TSHARK_PREFS = [
    "ip.defragment:FALSE", "ipv6.defragment:FALSE",  # no reassembly (docs/counting.md)
    "ip.tso_support:FALSE",                          # E1
    "frame.generate_md5_hash:TRUE",                  # E7
    "tcp.analyze_sequence_numbers:FALSE", "tcp.desegment_tcp_streams:FALSE",
]

EXT_NAMES = {0: "ipv6.hopopts", 43: "ipv6.routing", 60: "ipv6.dstopts", 44: "ipv6.fraghdr"}


class Frame:
    """One line of tshark -T fields output, every occurrence of every field kept."""

    def __init__(self, values):
        self.v = {}
        for name, raw in zip(FIELDS, values):
            self.v[name] = raw.split(";") if raw != "" else []

    def all(self, name):
        return self.v.get(name, [])

    def first(self, name, conv=None):
        vals = self.v.get(name, [])
        if not vals:
            return None
        return conv(vals[0]) if conv else vals[0]

    def nth(self, name, k, conv=None):
        vals = self.v.get(name, [])
        if k >= len(vals):
            return None
        return conv(vals[k]) if conv else vals[k]


def num(text):
    return int(text, 0)


def parse_epoch(text):
    """frame.time_epoch as integer nanoseconds; 10-digit fractions carry (E8)."""
    neg = text.startswith("-")
    if neg:
        text = text[1:]
    sec, _, frac = text.partition(".")
    ns = int(sec) * 1_000_000_000
    if frac:
        ns += int(frac) if len(frac) > 9 else int(frac.ljust(9, "0"))
    return -ns if neg else ns


def canonical(addr):
    a = ipaddress.ip_address(addr)
    if a.version == 6 and a.ipv4_mapped is not None:
        return "::ffff:" + str(a.ipv4_mapped)
    return str(a)


# --------------------------------------------------------------------------
# libpcap guard (E7)

class _PktHdr(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long),
                ("caplen", ctypes.c_uint32), ("len", ctypes.c_uint32)]


# libpcap's error for a pcapng whose interfaces have different link types (sf-pcapng.c).
MIXED_LINK_TYPES = "different from the type of the first interface"


def libpcap_view(path, dump_to=None):
    """What libpcap delivers: {"frames": [(ts_ns, caplen, len, md5)], "error", "open_failed"},
    or None when libpcap cannot be loaded. With dump_to, libpcap also writes the records it
    delivered to that file (pcap_dump, nanosecond pcap), for E7."""
    name = ctypes.util.find_library("pcap")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.pcap_open_offline_with_tstamp_precision.restype = ctypes.c_void_p
    lib.pcap_open_offline_with_tstamp_precision.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p]
    lib.pcap_next_ex.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.POINTER(_PktHdr)),
                                 ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte))]
    lib.pcap_geterr.restype = ctypes.c_char_p
    lib.pcap_geterr.argtypes = [ctypes.c_void_p]
    lib.pcap_close.argtypes = [ctypes.c_void_p]
    lib.pcap_dump_open.restype = ctypes.c_void_p
    lib.pcap_dump_open.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.pcap_dump.argtypes = [ctypes.c_void_p, ctypes.POINTER(_PktHdr), ctypes.POINTER(ctypes.c_ubyte)]
    lib.pcap_dump_close.argtypes = [ctypes.c_void_p]
    err = ctypes.create_string_buffer(512)
    p = lib.pcap_open_offline_with_tstamp_precision(path.encode(), 1, err)  # PCAP_TSTAMP_PRECISION_NANO
    if not p:
        return {"frames": [], "error": err.value.decode(errors="replace"), "open_failed": True}
    dumper = lib.pcap_dump_open(p, dump_to.encode()) if dump_to else None
    frames = []
    hdr = ctypes.POINTER(_PktHdr)()
    data = ctypes.POINTER(ctypes.c_ubyte)()
    error = None
    while True:
        r = lib.pcap_next_ex(p, ctypes.byref(hdr), ctypes.byref(data))
        if r == 1:
            h = hdr.contents
            raw = ctypes.string_at(data, h.caplen)
            frames.append((h.tv_sec * 1_000_000_000 + h.tv_usec, h.caplen, h.len, hashlib.md5(raw).hexdigest()))
            if dumper:
                lib.pcap_dump(dumper, hdr, data)
        elif r == -2:
            break
        else:
            error = lib.pcap_geterr(p).decode(errors="replace")
            break
    if dumper:
        lib.pcap_dump_close(dumper)
    lib.pcap_close(p)
    return {"frames": frames, "error": error, "open_failed": False}


# --------------------------------------------------------------------------
# tshark

def run_tshark(tshark, path):
    cmd = [tshark, "-n"]
    for p in TSHARK_PREFS:
        cmd += ["-o", p]
    cmd += ["-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;", "-E", "separator=/t"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    frames, skipped = [], []
    for line in r.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != len(FIELDS):
            continue
        f = Frame(parts)
        if f.first("frame.time_epoch") is None or f.first("frame.encap_type") is None:
            # E7: tshark shows pcapng blocks that are not packets (custom blocks, ...) as frames;
            # libpcap skips them.
            skipped.append(f.first("frame.number", int))
            continue
        frames.append(f)
    stderr = "\n".join(l for l in r.stderr.splitlines() if "Running as user" not in l)
    return frames, r.returncode, stderr, skipped


def raw_bytes(tshark, path, numbers):
    """frame number -> captured bytes, via tshark -T json -x (E4)."""
    out = {}
    numbers = sorted(numbers)
    for i in range(0, len(numbers), 400):
        chunk = numbers[i:i + 400]
        flt = "frame.number in {%s}" % ",".join(str(n) for n in chunk)
        cmd = [tshark, "-n"]
        for p in TSHARK_PREFS:
            cmd += ["-o", p]
        cmd += ["-r", path, "-Y", flt, "-T", "json", "-x", "-j", "frame"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        try:
            docs = json.loads(r.stdout or "[]")
        except json.JSONDecodeError:
            continue
        for d in docs:
            layers = d.get("_source", {}).get("layers", {})
            fr = layers.get("frame", {})
            n = int(fr.get("frame.number", "0"))
            rawf = layers.get("frame_raw")
            if n and rawf:
                out[n] = bytes.fromhex(rawf[0])
    return out


# --------------------------------------------------------------------------
# classification

class Config:
    # The default rules are this oracle's reading of the rules where they leave an edge open:
    #   tcp_offset "invalid": a TCP data offset below 5 makes the header invalid (E5);
    #              "ignore": only the bytes through the flags matter.
    #   ip_length  "wire": an IPv4 total length / IPv6 payload length beyond the bytes on the wire
    #              makes the IP header invalid (E2); "ignore": it only bounds the payload.
    #   time       "normalize": the time is sec + frac (a microsecond field of 1000000 is the next
    #              second, E8); "seconds": only the seconds field counts.
    tcp_offset = "invalid"
    ip_length = "wire"
    time = "normalize"

    def __init__(self, tz, observed, ignore, collector):
        self.tz = ZoneInfo(tz)
        self.tz_name = tz
        self.observed = [ipaddress.ip_network(p, strict=False) for p in observed]
        self.ignore = [ipaddress.ip_network(p, strict=False) for p in ignore]
        self.collector = ipaddress.ip_address(collector) if collector else None

    @staticmethod
    def within(a, nets):
        return any(a.version == n.version and a in n for n in nets)


def R(result, **kw):
    d = {"result": result}
    d.update(kw)
    return d


def link_layer(f):
    """(promised L3 'v4'|'v6'|'raw', link header length, position of L3 in protocols) or a result dict."""
    enc = f.first("frame.encap_type", int)
    protos = (f.first("frame.protocols") or "").split(":")
    cap = f.first("frame.cap_len", int)
    wire = f.first("frame.len", int)

    def cut(needed):
        return R("malformed", reason="snaplen" if cap < wire and wire >= needed else "link")

    if enc == ENCAP_ETHERNET:
        if cap < 14:
            return cut(14)
        etype = f.first("eth.type", num)
        if etype is None:
            if f.first("eth.len") is not None:
                return R("non_ip", type="llc")
            return cut(14)
        i, tags, nvlan, nad = 1, 0, 0, 0
        while i < len(protos):
            p = protos[i]
            if p == "ethertype":
                i += 1
                continue
            if p == "vlan":
                etype = f.nth("vlan.etype", nvlan, num)
                nvlan += 1
            elif p == "ieee8021ad":
                etype = f.nth("ieee8021ah.etype", nad, num)
                nad += 1
            else:
                break
            tags += 1
            if etype is None:
                return cut(14 + 4 * tags)
            i += 1
        if etype in (0x8100, 0x88A8):
            return cut(14 + 4 * (tags + 1))  # a tag tshark could not decode: cut
        llen = 14 + 4 * tags
        if cap < llen:
            return cut(llen)
        if etype == 0x8864:
            # PPPoE session: 6-byte PPPoE header and the 2-byte PPP protocol, then IP (E12).
            llen += 8
            if cap < llen:
                return cut(llen)
            ppp = f.first("ppp.protocol", num)
            while i < len(protos) and protos[i] in ("pppoes", "ppp"):
                i += 1
            if ppp == 0x0021:
                return ("v4", llen, i)
            if ppp == 0x0057:
                return ("v6", llen, i)
            return R("non_ip", type="0x8864")
        if etype == 0x0800:
            return ("v4", llen, i)
        if etype == 0x86DD:
            return ("v6", llen, i)
        if etype <= 1500:
            return R("non_ip", type="llc")
        return R("non_ip", type="0x%04x" % etype)
    if enc in (ENCAP_SLL, ENCAP_SLL2):
        llen = 16 if enc == ENCAP_SLL else 20
        if cap < llen:
            return cut(llen)
        if f.first("sll.pkttype", int) == 4:
            return R("ignored", reason="outgoing")  # E9
        et = f.first("sll.etype", num)
        if et is None:
            return R("non_ip", type="sll protocol %s" % (f.first("sll.ltype") or "?"))
        i = 1
        while i < len(protos) and protos[i] == "ethertype":
            i += 1
        if et == 0x0800:
            return ("v4", llen, i)
        if et == 0x86DD:
            return ("v6", llen, i)
        return R("non_ip", type="0x%04x" % et)
    if enc in (ENCAP_NULL, ENCAP_LOOP):
        if cap < 4:
            return cut(4)
        fam = f.first("null.family", int)
        if fam == 2:
            return ("v4", 4, 1)
        if fam in (24, 28, 30):
            return ("v6", 4, 1)
        if fam is None:
            return R("non_ip", type="null type %s" % (f.first("null.type") or "?"))  # E10
        return R("non_ip", type="family %d" % fam)
    if enc == ENCAP_RAW_IP:
        return ("raw", 0, 1)
    if enc == ENCAP_RAW_IP4:
        return ("v4", 0, 0)
    if enc == ENCAP_RAW_IP6:
        return ("v6", 0, 0)
    return R("unsupported", reason="link type (wiretap encapsulation %s)" % enc)


def cut_reason(needed_on_wire, f, proto_reason):
    """'snaplen' when the bytes exist on the wire but were not captured (E11)."""
    if needed_on_wire and f.first("frame.cap_len", int) < f.first("frame.len", int):
        return "snaplen"
    return proto_reason


def classify(f, cfg, raw_needed):
    """The packet's fate per docs/counting.md. raw_needed(frame, offset, count) returns the
    captured bytes there from a second tshark pass, or None when this is the first pass."""
    ll = link_layer(f)
    if isinstance(ll, dict):
        return ll
    promised, llen, l3pos = ll
    protos = (f.first("frame.protocols") or "").split(":")
    cap = f.first("frame.cap_len", int)
    wire = f.first("frame.len", int)
    cap_ip, wire_ip = cap - llen, wire - llen
    if cap_ip < 1:
        return R("malformed", reason=cut_reason(wire_ip >= 1, f, "ip-header"))
    version = f.first("ip.version", int)
    if promised == "raw":
        promised = {4: "v4", 6: "v6"}.get(version)
        if promised is None:
            return R("malformed", reason="ip-version")
    want = 4 if promised == "v4" else 6
    if version != want:
        return R("malformed", reason="ip-version")  # E3 (tshark's ip dissector shows ip.version 6 first)

    if promised == "v4":
        hl = f.first("ip.hdr_len", int)
        if hl is None or hl < 20:
            return R("malformed", reason="ip-header")
        if cap_ip < max(hl, 20) or f.first("ip.len") is None:
            return R("malformed", reason=cut_reason(wire_ip >= hl, f, "ip-header"))
        total = f.first("ip.len", int)
        if total < hl or (total > wire_ip and cfg.ip_length == "wire"):
            return R("malformed", reason="ip-length", src=canonical(f.first("ip.src") or "0.0.0.0"))
        src, dst = f.first("ip.src"), f.first("ip.dst")
        proto = f.first("ip.proto", int)
        frag = f.first("ip.frag_offset", int) or 0
        l4_off = llen + hl
        l4_cap = min(cap_ip, total) - hl
        l4_wire = min(total, wire_ip) - hl
        family = 4
    else:
        if cap_ip < 40 or f.first("ipv6.plen") is None or f.first("ipv6.src") is None:
            return R("malformed", reason=cut_reason(wire_ip >= 40, f, "ip-header"))
        plen = f.first("ipv6.plen", int)
        nh = f.first("ipv6.nxt", int)
        if plen == 0 and nh == 0:
            plen = wire_ip - 40  # a jumbogram: the length is in a hop-by-hop option (RFC 2675)
        if 40 + plen > wire_ip and cfg.ip_length == "wire":
            return R("malformed", reason="ip-length", src=canonical(f.first("ipv6.src")))
        src, dst = f.first("ipv6.src"), f.first("ipv6.dst")
        avail_cap = min(cap_ip, 40 + plen)
        avail_wire = min(wire_ip, 40 + plen)
        off = 40
        pos = l3pos + 1
        seen = {}
        frag = 0
        while nh in EXT_NAMES:
            name = EXT_NAMES[nh]
            k = seen.get(name, 0)
            minimum = 8 if nh == 44 else 2
            if off + minimum > avail_cap:
                return R("malformed", reason=cut_reason(avail_wire >= off + minimum, f, "ipv6-ext"))
            if not (pos < len(protos) and protos[pos] == name):
                return R("uncertain", reason="tshark did not decode IPv6 extension header %d" % nh)
            length = 8 if nh == 44 else f.nth(name + ".len_oct", k, int)
            nxt = f.nth(name + ".nxt", k, int)
            if length is None or nxt is None:
                return R("uncertain", reason="tshark showed no length for IPv6 extension header %d" % nh)
            if off + length > avail_cap:
                return R("malformed", reason=cut_reason(avail_wire >= off + length, f, "ipv6-ext"))
            seen[name] = k + 1
            off += length
            pos += 1
            nh = nxt
            if name == "ipv6.fraghdr":
                fo = f.nth("ipv6.fraghdr.offset", k, int)
                if fo:
                    frag = fo  # non-first fragment: port = its next header (the last one visible)
                    break
        proto = nh
        l4_off = llen + off
        l4_cap = avail_cap - off
        l4_wire = avail_wire - off
        family = 6

    # destination and source (docs/counting.md, "Which packets count")
    a_src, a_dst = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if cfg.observed and not Config.within(a_dst, cfg.observed):
        return R("not_observed")
    if Config.within(a_src, cfg.ignore):
        return R("ignored", reason="ignore_sources")
    if cfg.collector is not None and cfg.collector in (a_src, a_dst):
        return R("ignored", reason="collector")
    if cfg.observed and Config.within(a_src, cfg.observed):
        return R("ignored", reason="own_address")
    csrc = canonical(src)

    def counted(p, port, kind):
        return R("counted", src=csrc, proto=p, port=port, kind=kind)

    if frag:
        return counted("ip", proto, "other")
    if proto == 6:
        if l4_cap < 14:
            return R("malformed", reason=cut_reason(l4_wire >= 14, f, "tcp"), src=csrc)
        hlen = f.first("tcp.hdr_len", int)
        flags = f.first("tcp.flags", num)
        sport, dport = f.first("tcp.srcport", int), f.first("tcp.dstport", int)
        if hlen is not None and hlen < 20 and cfg.tcp_offset == "invalid":
            return R("malformed", reason="tcp", src=csrc)  # E5
        if flags is None or sport is None or dport is None:
            b = raw_needed(f, l4_off, 14)  # E4
            if b is None:
                return R("need_raw")
            sport, dport = int.from_bytes(b[0:2], "big"), int.from_bytes(b[2:4], "big")
            if (b[12] >> 4) < 5 and cfg.tcp_offset == "invalid":
                return R("malformed", reason="tcp", src=csrc)
            flags = ((b[12] & 0x0F) << 8) | b[13]
        syn, ack, rst = flags & 0x02, flags & 0x10, flags & 0x04
        if syn and not ack and not rst:
            return counted("tcp", dport, "probe")
        if (syn and ack) or rst:
            return counted("tcp", sport, "backscatter")
        return counted("tcp", dport, "other")
    if proto == 17:
        if l4_cap < 8:
            return R("malformed", reason=cut_reason(l4_wire >= 8, f, "udp"), src=csrc)
        sport, dport = f.first("udp.srcport", int), f.first("udp.dstport", int)
        if sport is None or dport is None:
            b = raw_needed(f, l4_off, 8)
            if b is None:
                return R("need_raw")
            sport, dport = int.from_bytes(b[0:2], "big"), int.from_bytes(b[2:4], "big")
        if sport in REFLECTION_PORTS and dport >= 1024:
            return counted("udp", sport, "backscatter")
        return counted("udp", dport, "probe")
    if (proto == 1 and family == 4) or (proto == 58 and family == 6):
        name = "icmp" if proto == 1 else "icmpv6"
        if l4_cap < 2:
            return R("malformed", reason=cut_reason(l4_wire >= 2, f, name), src=csrc)
        typ = f.first(name + ".type", int)
        if typ is None:
            b = raw_needed(f, l4_off, 2)  # E4
            if b is None:
                return R("need_raw")
            typ = b[0]
        if proto == 1:
            kind = "probe" if typ in ICMP4_PROBE else "backscatter" if typ in ICMP4_BACKSCATTER else "other"
        else:
            kind = "probe" if typ in ICMP6_PROBE else "backscatter" if typ in ICMP6_BACKSCATTER else "other"
        return counted(name, typ, kind)
    return counted("ip", proto, "other")


def compute(path, tz="UTC", observed=(), ignore=(), collector=None, tshark="tshark", use_libpcap=True,
            rules=None):
    cfg = Config(tz, list(observed), list(ignore), collector)
    for k, v in (rules or {}).items():
        if v is not None:
            setattr(cfg, k, v)
    result = {"file": path, "config": {"timezone": tz, "observed": list(observed), "ignore_sources": list(ignore),
                                       "collector": collector},
              "rules": {"tcp_offset": cfg.tcp_offset, "ip_length": cfg.ip_length, "time": cfg.time}}
    uncertain, edges = [], []
    tmpdir = tempfile.mkdtemp(prefix="teiten-oracle-")
    try:
        dump = os.path.join(tmpdir, "libpcap-view.pcap")
        lp = libpcap_view(path, dump) if use_libpcap else None
        if lp is not None and MIXED_LINK_TYPES in (lp["error"] or ""):
            # E7: the sensor reads pcapng with its own reader, which takes interfaces of different
            # link types; libpcap stops at the first such interface. tshark's frames stand.
            edges.append({"frame": len(lp["frames"]) + 1, "note": "E7: libpcap refuses interfaces of different "
                          "link types; the sensor reads them, so the oracle keeps tshark's frames"})
            lp = None
        frames, rc, stderr, skipped = run_tshark(tshark, path)
        result.update({"tshark_frames": len(frames), "tshark_error": stderr.strip() or None,
                       "tshark_non_packet_records": skipped})
        result["libpcap"] = None if lp is None else {"frames": len(lp["frames"]), "error": lp["error"],
                                                     "open_failed": lp["open_failed"]}
        time_diff = {}
        if lp is not None:
            lpf = lp["frames"]
            differ = [i + 1 for i, (f, l) in enumerate(zip(frames, lpf))
                      if l[1] != f.first("frame.cap_len", int) or l[2] != f.first("frame.len", int)
                      or (f.first("frame.md5_hash") and l[3] != f.first("frame.md5_hash"))]
            if len(lpf) > len(frames) or (len(frames) > len(lpf) and lp["error"] is None and not lp["open_failed"]):
                differ.append(min(len(lpf), len(frames)) + 1)
            if differ and lpf:
                # E7: tshark read records libpcap reads otherwise (another record format, a record cut to
                # the snaplen, ...). Dissect what libpcap delivers instead: the records libpcap itself
                # wrote back (pcap_dump) while reading.
                edges.append({"frame": differ[0], "note": "E7: tshark's records differ from libpcap's from this frame "
                              "on; the oracle dissects the records as libpcap delivers them (re-written with "
                              "pcap_dump)"})
                frames, rc, stderr, skipped = run_tshark(tshark, dump)
                path = dump
            frames = frames[:len(lpf)]  # what libpcap delivers before an error
            for f, l in zip(frames, lpf):
                ts = parse_epoch(f.first("frame.time_epoch"))
                if ts != l[0]:
                    time_diff[f.first("frame.number", int)] = (l[0], ts)
        fates = classify_all(frames, cfg, tshark, path, edges)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    rows, counts = {}, {"packets": 0, "counted": 0, "malformed": {"total": 0, "by_reason": {}},
                        "non_ip": {"total": 0, "by_type": {}}, "ignored": {"total": 0, "by_reason": {}},
                        "not_observed": 0}
    detail = []
    for f, fate in zip(frames, fates):
        n = f.first("frame.number", int)
        ts = parse_epoch(f.first("frame.time_epoch"))
        if cfg.time == "seconds":
            text = f.first("frame.time_epoch")
            ts = int(text.partition(".")[0]) * 1_000_000_000  # tv_sec alone
            time_diff.pop(n, None)
        if n in time_diff:
            # E8: libpcap and tshark disagree on the time; tshark's is not trustworthy here.
            fate = R("uncertain", reason="time differs (libpcap %d ns, tshark %d ns)" % time_diff[n], was=fate)
        r = fate["result"]
        counts["packets"] += 1
        if r == "counted":
            counts["counted"] += 1
            sec = ts // 1_000_000_000
            day = datetime.fromtimestamp(sec, tz=timezone.utc).astimezone(cfg.tz).date().isoformat()
            key = (day, fate["proto"], fate["port"], fate["src"], fate["kind"])
            row = rows.setdefault(key, {"accesses": 0, "first_seen": sec, "last_seen": sec})
            row["accesses"] += 1
            row["first_seen"] = min(row["first_seen"], sec)
            row["last_seen"] = max(row["last_seen"], sec)
        elif r in ("malformed", "non_ip", "ignored"):
            m = counts[r]
            m["total"] += 1
            sub = "by_type" if r == "non_ip" else "by_reason"
            v = fate["type"] if r == "non_ip" else fate["reason"]
            m[sub][v] = m[sub].get(v, 0) + 1
        elif r == "not_observed":
            counts["not_observed"] += 1
        else:
            u = {"frame": n, "reason": fate.get("reason", r)}
            was = fate.get("was")
            if was and was.get("result") == "counted":
                u["candidate"] = {k: was[k] for k in ("proto", "port", "src", "kind")}
            uncertain.append(u)
        d = {"frame": n, "time_ns": ts}
        d.update({k: v for k, v in fate.items() if k != "was"})
        detail.append(d)

    out_rows = [{"day": k[0], "proto": k[1], "port": k[2], "src": k[3], "kind": k[4], **v}
                for k, v in sorted(rows.items())]
    agg = {}
    for k, v in rows.items():
        a = agg.setdefault((k[0], k[1], k[2], k[4]), {"accesses": 0, "sources": 0})
        a["accesses"] += v["accesses"]
        a["sources"] += 1
    result.update({
        "counts": counts,
        "rows": out_rows,
        "port_types": [{"day": k[0], "proto": k[1], "port": k[2], "kind": k[3], **v}
                       for k, v in sorted(agg.items())],
        "uncertain": uncertain,
        "edges": edges,
        "frames": detail,
    })
    return result


def classify_all(frames, cfg, tshark, path, edges):
    """Classifies every frame; a second tshark pass fetches raw bytes where fields fall short (E4)."""
    raw_cache = {}

    def no_raw(f, off, n):
        return None

    def with_raw(f, off, count):
        n = f.first("frame.number", int)
        b = raw_cache.get(n)
        if b is None or len(b) < off + count or off + count > f.first("frame.cap_len", int):
            return None
        return b[off:off + count]

    fates = [classify(f, cfg, no_raw) for f in frames]
    needs = [f.first("frame.number", int) for f, fate in zip(frames, fates) if fate["result"] == "need_raw"]
    if needs:
        raw_cache.update(raw_bytes(tshark, path, needs))
        for i, f in enumerate(frames):
            if fates[i]["result"] == "need_raw":
                fate = classify(f, cfg, with_raw)
                if fate["result"] == "need_raw":
                    fate = R("uncertain", reason="needed header bytes tshark did not show")
                else:
                    edges.append({"frame": f.first("frame.number", int),
                                  "note": "E4: header byte read from frame_raw (tshark showed no field)"})
                fates[i] = fate
    return fates


def label(proto, port):
    if proto == "icmp":
        return "Ping (ICMP)" if port == 8 else "ICMP type %d" % port
    if proto == "icmpv6":
        return "ICMPv6 type %d" % port
    if proto == "ip":
        return "IP protocol %d" % port
    return "%d/%s" % (port, proto)


def text_report(res):
    lines = ["file: %s" % res["file"], "config: %s" % json.dumps(res["config"])]
    if res.get("libpcap"):
        lp = res["libpcap"]
        lines.append("libpcap: %d frames%s" % (lp["frames"], ", error: " + lp["error"] if lp["error"] else ""))
    lines.append("counts: %s" % json.dumps(res["counts"]))
    lines.append("")
    lines.append("%-10s %-16s %-12s %9s %8s" % ("day", "port type", "kind", "accesses", "sources"))
    for p in res["port_types"]:
        lines.append("%-10s %-16s %-12s %9d %8d" % (p["day"], label(p["proto"], p["port"]), p["kind"],
                                                   p["accesses"], p["sources"]))
    lines.append("")
    lines.append("%-10s %-6s %5s %-39s %-11s %8s %11s %11s" % ("day", "proto", "port", "src", "kind", "accesses",
                                                               "first_seen", "last_seen"))
    for r in res["rows"]:
        lines.append("%-10s %-6s %5d %-39s %-11s %8d %11d %11d" % (r["day"], r["proto"], r["port"], r["src"],
                                                                   r["kind"], r["accesses"], r["first_seen"],
                                                                   r["last_seen"]))
    for u in res["uncertain"]:
        lines.append("uncertain frame %d: %s" % (u["frame"], u["reason"]))
    for e in res["edges"]:
        lines.append("edge frame %d: %s" % (e["frame"], e["note"]))
    return "\n".join(lines)


def add_rule_options(ap):
    g = ap.add_argument_group("readings of the counting rules where they leave an edge open (defaults: this oracle's)")
    g.add_argument("--tcp-offset", choices=("invalid", "ignore"),
                   help="TCP data offset below 5: invalid header (default) or ignored")
    g.add_argument("--ip-length", choices=("wire", "ignore"),
                   help="IP length beyond the bytes on the wire: invalid header (default) or ignored")
    g.add_argument("--time", choices=("normalize", "seconds"),
                   help="packet time: seconds + fraction carried (default) or the seconds field alone")


def rules_of(a):
    return {"tcp_offset": a.tcp_offset, "ip_length": a.ip_length, "time": a.time}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Expected teiten rollup of a capture, from tshark.")
    ap.add_argument("file")
    ap.add_argument("--tz", default="UTC", help="IANA time zone of the sensor (sensor.timezone)")
    ap.add_argument("--observed", nargs="*", default=[], help="capture.observed; none: every destination (--read)")
    ap.add_argument("--ignore", nargs="*", default=[], help="capture.ignore_sources")
    ap.add_argument("--collector", help="the collector's IP address")
    ap.add_argument("--format", choices=("json", "text"), default="json")
    ap.add_argument("--frames", action="store_true", help="include every frame's fate in the JSON")
    ap.add_argument("--tshark", default=os.environ.get("TSHARK", "tshark"))
    ap.add_argument("--no-libpcap", action="store_true", help="skip the libpcap guard (E7)")
    add_rule_options(ap)
    a = ap.parse_args(argv)
    res = compute(a.file, a.tz, a.observed, a.ignore, a.collector, a.tshark, not a.no_libpcap, rules_of(a))
    if not a.frames:
        res.pop("frames")
    if a.format == "text":
        print(text_report(res))
    else:
        print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
