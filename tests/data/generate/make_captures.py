#!/usr/bin/env python3
"""Writes teiten's own test captures and what each one should count.

    python3 tests/data/generate/make_captures.py [--out tests/data/generated]

Python 3 standard library only: every classic pcap and pcapng file is built
byte by byte with struct, so the bytes are exactly what this script says they
are. The output is deterministic (no clocks, no randomness without a seed):
running it again gives identical files, which are committed.

For each capture NAME it writes NAME.pcap (or .pcapng) and NAME.expect.json.
The expectation is computed here, from what each packet was *meant* to be
(the `expect` given when the packet is added), never by decoding the bytes
again and never by tshark. tests/oracle/tshark_rollup.py is the second,
independent oracle; tests/oracle/check_capture.py compares the sensor with
both.

Counting rules are those of docs/counting.md. Where the rules leave an
edge open, the packet carries an `ambiguous` note naming the choice made
here; those choices are listed in each .expect.json under "decisions".

Address plan (RFC 5737 / RFC 3849 documentation ranges):
  observed sensor    192.0.2.10, 2001:db8::10
  other destinations 192.0.2.99, 2001:db8::99   (not observed)
  management         10.0.0.0/8                 (ignore_sources)
  sources            198.51.100.0/24, 203.0.113.0/24, 2001:db8:ffff::/48
"""

import argparse
import ipaddress
import json
import os
import struct
import sys
from fractions import Fraction
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

OBS4 = "192.0.2.10"
OBS6 = "2001:db8::10"
OTHER4 = "192.0.2.99"
OTHER6 = "2001:db8::99"
IGNORE = ["10.0.0.0/8"]
OBSERVED = [OBS4, OBS6]
TOKYO = "Asia/Tokyo"

# Readings of docs/counting.md where it leaves an edge open. They decide the expectation of the few
# packets that test those edges (marked with a "decision" in the .expect.json files), and
# must match tests/oracle/tshark_rollup.py's Config defaults. Flip one here and there, then
# regenerate, if the project settles an edge the other way.
READING = {
    # A TCP data offset below 5: "invalid" = the TCP header is invalid (malformed);
    # "ignore" = only the bytes through the flags matter (counted).
    "tcp_offset": "invalid",
    # An IPv4 total length / IPv6 payload length beyond the bytes on the wire (not cut by the
    # snaplen): "wire" = the IP header is invalid (malformed); "ignore" = counted.
    "ip_length": "wire",
}

# TCP flag bits (the 12-bit field; 0x100 is the former NS / AccECN bit).
FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x100

REFLECTION_PORTS = [19, 53, 123, 161, 389, 1900, 3702, 5353, 11211]

MAC_SENSOR = bytes.fromhex("020000000010")
MAC_ROUTER = bytes.fromhex("020000000001")

ETH_IPV4, ETH_IPV6, ETH_ARP, ETH_VLAN, ETH_QINQ = 0x0800, 0x86DD, 0x0806, 0x8100, 0x88A8

LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP = 0, 1, 101, 108
LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2 = 113, 228, 229, 276


# --------------------------------------------------------------------------
# time

def ns_at(zone, y, mo, d, h=0, mi=0, s=0, ns=0):
    """Unix time in nanoseconds of a wall-clock time in an IANA zone."""
    dt = datetime(y, mo, d, h, mi, s, tzinfo=ZoneInfo(zone))
    return int(dt.timestamp()) * 1_000_000_000 + ns


def ns_utc(y, mo, d, h=0, mi=0, s=0, ns=0):
    return ns_at("UTC", y, mo, d, h, mi, s, ns)


MS = 1_000_000
US = 1_000
SEC = 1_000_000_000


def day_of(ts_ns, zone):
    sec = ts_ns // SEC
    return datetime.fromtimestamp(sec, tz=timezone.utc).astimezone(ZoneInfo(zone)).date().isoformat()


# --------------------------------------------------------------------------
# addresses and checksums

def addr(text):
    return ipaddress.ip_address(text).packed


def canonical(text):
    """RFC 5952 text; IPv4-mapped IPv6 keeps the dotted quad (RFC 5952 section 5)."""
    a = ipaddress.ip_address(text)
    if a.version == 6 and a.ipv4_mapped is not None:
        return "::ffff:" + str(a.ipv4_mapped)
    return str(a)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def pseudo(src, dst, proto, length):
    s, d = addr(src), addr(dst)
    if len(s) == 4:
        return s + d + struct.pack("!BBH", 0, proto, length)
    return s + d + struct.pack("!IxxxB", length, proto)


def with_sum(seg, at, src, dst, proto):
    if src is None:
        return seg
    c = checksum(pseudo(src, dst, proto, len(seg)) + seg)
    return seg[:at] + struct.pack("!H", c) + seg[at + 2:]


# --------------------------------------------------------------------------
# layer 4

def tcp(sport, dport, flags, src=None, dst=None, seq=0x10000001, ack=0, win=1024,
        opts=b"", payload=b"", doff=None):
    while len(opts) % 4:
        opts += b"\x01"
    off = doff if doff is not None else (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (off << 4) | ((flags >> 8) & 0x0F),
                      flags & 0xFF, win, 0, 0) + opts
    return with_sum(hdr + payload, 16, src, dst, 6)


def udp(sport, dport, payload=b"", src=None, dst=None, length=None):
    ln = 8 + len(payload) if length is None else length
    seg = struct.pack("!HHHH", sport, dport, ln, 0) + payload
    if length is not None:
        return seg
    return with_sum(seg, 6, src, dst, 17)


def icmp(typ, code=0, rest=b"\0\0\0\0", payload=b""):
    seg = struct.pack("!BBH", typ, code, 0) + rest + payload
    return seg[:2] + struct.pack("!H", checksum(seg)) + seg[4:]


def echo(ident=0x4242, seq=1, payload=b"teiten-ping-test"):
    return struct.pack("!HH", ident, seq), payload


def icmp6(typ, code=0, rest=b"\0\0\0\0", payload=b"", src=None, dst=None):
    seg = struct.pack("!BBH", typ, code, 0) + rest + payload
    return with_sum(seg, 2, src, dst, 58)


# --------------------------------------------------------------------------
# layer 3

def ipv4(src, dst, proto, payload, ttl=52, ident=0x1234, df=False, mf=False, frag=0,
         opts=b"", total=None, ihl=None, version=4, bad_checksum=False):
    """frag is the fragment offset in 8-byte units."""
    ihl_v = ihl if ihl is not None else (20 + len(opts)) // 4
    tl = total if total is not None else 20 + len(opts) + len(payload)
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | frag
    hdr = struct.pack("!BBHHHBBH4s4s", (version << 4) | ihl_v, 0, tl, ident, flags, ttl, proto, 0,
                      addr(src), addr(dst)) + opts
    c = checksum(hdr)
    if bad_checksum:
        c ^= 0x5A5A
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def ipv6(src, dst, nh, payload, plen=None, hlim=52, version=6):
    pl = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", (version << 28), pl, nh, hlim, addr(src), addr(dst)) + payload


def ext_opts(nh, options=b""):
    """Hop-by-hop or destination options header, padded with PadN to 8n bytes."""
    body = options
    total = 2 + len(body)
    pad = (-total) % 8
    if pad == 1:
        body += b"\x00"
    elif pad:
        body += bytes([1, pad - 2]) + b"\0" * (pad - 2)
    return bytes([nh, (2 + len(body)) // 8 - 1]) + body


def ext_routing(nh, rtype, segleft, data):
    body = bytes([rtype, segleft]) + data
    assert (2 + len(body)) % 8 == 0
    return bytes([nh, (2 + len(body)) // 8 - 1]) + body


def ext_frag(nh, offset_units, more, ident=0xABCDEF01):
    return struct.pack("!BBHI", nh, 0, (offset_units << 3) | (1 if more else 0), ident)


def ipv6_chain(src, dst, chain, payload, plen=None):
    """chain: list of (kind, arg) from the outside in, kind in hbh, dst, rt, frag;
    the last element is the final next header number, given as ('nh', n)."""
    assert chain[-1][0] == "nh"
    codes = {"hbh": 0, "dst": 60, "rt": 43, "frag": 44}
    nh = chain[-1][1]
    body = payload
    for kind, arg in reversed(chain[:-1]):
        if kind in ("hbh", "dst"):
            body = ext_opts(nh, arg) + body
        elif kind == "rt":
            rtype, segleft, data = arg
            body = ext_routing(nh, rtype, segleft, data) + body
        elif kind == "frag":
            off, more = arg
            body = ext_frag(nh, off, more) + body
        nh = codes[kind]
    return ipv6(src, dst, nh, body, plen=plen)


# Convenience packets (IP layer) ---------------------------------------------

def v4tcp(src, dst, sport, dport, flags, **kw):
    """opts are TCP options; ipopts are IPv4 options."""
    ipkw = {k: kw.pop(k) for k in list(kw) if k in ("ttl", "df", "bad_checksum", "ident")}
    if "ipopts" in kw:
        ipkw["opts"] = kw.pop("ipopts")
    return ipv4(src, dst, 6, tcp(sport, dport, flags, src, dst, **kw), **ipkw)


def v6tcp(src, dst, sport, dport, flags, **kw):
    return ipv6(src, dst, 6, tcp(sport, dport, flags, src, dst, **kw))


def v4udp(src, dst, sport, dport, payload=b"udp-probe", **kw):
    return ipv4(src, dst, 17, udp(sport, dport, payload, src, dst), **kw)


def v6udp(src, dst, sport, dport, payload=b"udp-probe"):
    return ipv6(src, dst, 17, udp(sport, dport, payload, src, dst))


def v4icmp(src, dst, typ, code=0, rest=b"\0\0\0\0", payload=b""):
    return ipv4(src, dst, 1, icmp(typ, code, rest, payload))


def v4ping(src, dst, seq=1):
    rest, payload = echo(seq=seq)
    return v4icmp(src, dst, 8, 0, rest, payload)


def v6icmp(src, dst, typ, code=0, rest=b"\0\0\0\0", payload=b""):
    return ipv6(src, dst, 58, icmp6(typ, code, rest, payload, src, dst))


def v6ping(src, dst, seq=1):
    rest, payload = echo(seq=seq)
    return v6icmp(src, dst, 128, 0, rest, payload)


# --------------------------------------------------------------------------
# link layers

def eth(payload, etype, vlans=(), pad=True, dst=MAC_SENSOR, src=MAC_ROUTER):
    b = dst + src
    for tpid, tci in vlans:
        b += struct.pack("!HH", tpid, tci)
    b += struct.pack("!H", etype) + payload
    if pad and len(b) < 60:
        b += b"\0" * (60 - len(b))
    return b


def eth4(ip, **kw):
    return eth(ip, ETH_IPV4, **kw)


def eth6(ip, **kw):
    return eth(ip, ETH_IPV6, **kw)


def arp_request(sender_ip, target_ip):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_ROUTER, addr(sender_ip),
                       b"\0" * 6, addr(target_ip))


def sll(payload, proto, pkttype=0, hatype=1, lladdr=MAC_ROUTER):
    return struct.pack("!HHH8sH", pkttype, hatype, len(lladdr), lladdr.ljust(8, b"\0"), proto) + payload


def sll2(payload, proto, pkttype=0, hatype=1, ifindex=2, lladdr=MAC_ROUTER):
    return struct.pack("!HHIHBB8s", proto, 0, ifindex, hatype, pkttype, len(lladdr),
                       lladdr.ljust(8, b"\0")) + payload


def null_hdr(family, order):
    return struct.pack(order + "I", family)


# --------------------------------------------------------------------------
# expectations

def C(src, proto, port, kind):
    """A counted packet: one access to (proto, port) from src, of this kind."""
    assert proto in ("tcp", "udp", "icmp", "icmpv6", "ip"), proto
    assert kind in ("probe", "backscatter", "other"), kind
    return {"result": "counted", "src": canonical(src), "proto": proto, "port": port, "kind": kind}


def M(reason):
    """Malformed. Reasons are this project's names; 'snaplen' when the record's
    caplen < len cut the needed headers (docs/counting.md, section 3)."""
    return {"result": "malformed", "reason": reason}


def N(frame_type):
    return {"result": "non_ip", "type": frame_type}


def IGN(reason):
    """Not counted because of the source (ignore_sources, own address) or direction."""
    assert reason in ("ignore_sources", "own_address", "outgoing", "collector")
    return {"result": "ignored", "reason": reason}


def X():
    """An IP packet whose destination is not observed."""
    return {"result": "not_observed"}


class Capture:
    def __init__(self, name, description, linktype=LINKTYPE_ETHERNET, fmt="pcap", order="<",
                 nsec=False, snaplen=65535, timezone_=TOKYO, observed=None, ignore=None,
                 interfaces=None):
        self.name = name
        self.description = description
        self.linktype = linktype
        self.fmt = fmt
        self.order = order
        self.nsec = nsec
        self.snaplen = snaplen
        self.tz = timezone_
        self.observed = list(OBSERVED if observed is None else observed)
        self.ignore = list(IGNORE if ignore is None else ignore)
        # pcapng: list of dicts {linktype, tsresol (option byte or None), name}
        self.interfaces = interfaces or [{"linktype": linktype, "tsresol": None, "name": "eth0"}]
        self.packets = []
        self.extra_blocks = []  # pcapng: (position, bytes) written before packet #position
        self.t = ns_at(TOKYO, 2024, 7, 9, 10, 0, 0)

    def at(self, ts_ns):
        self.t = ts_ns
        return self

    def add(self, frame, expect, note, ts=None, orig_len=None, caplen=None, iface=0,
            ambiguous=None, tshark=None, epb_flags=None, step=250 * MS):
        """Adds one packet. frame is the whole frame; caplen cuts it (record caplen),
        orig_len is the record's original length (default: len(frame))."""
        if ts is None:
            ts = self.t
            self.t += step
        exact = ts if isinstance(ts, Fraction) else Fraction(ts, SEC)  # seconds
        ts = int(exact * SEC)  # nanoseconds, floor (timestamps here are positive)
        data = frame if caplen is None else frame[:caplen]
        length = len(frame) if orig_len is None else orig_len
        if self.fmt == "pcap" and not self.nsec:
            assert ts % US == 0, "microsecond file needs whole microseconds"
        e = dict(expect)
        self.packets.append({"ts": ts, "exact": exact, "data": data, "len": length, "iface": iface, "expect": e,
                             "note": note, "ambiguous": ambiguous, "tshark": tshark,
                             "epb_flags": epb_flags})

    # ---- writers -----------------------------------------------------------

    def pcap_bytes(self):
        o = self.order
        magic = 0xA1B23C4D if self.nsec else 0xA1B2C3D4
        out = [struct.pack(o + "IHHiIII", magic, 2, 4, 0, 0, self.snaplen, self.linktype)]
        for p in self.packets:
            sec, frac = divmod(p["ts"], SEC)
            if not self.nsec:
                frac //= US
            out.append(struct.pack(o + "IIII", sec, frac, len(p["data"]), p["len"]) + p["data"])
        return b"".join(out)

    def pcapng_bytes(self):
        o = self.order

        def block(btype, body):
            body += b"\0" * ((-len(body)) % 4)
            n = 12 + len(body)
            return struct.pack(o + "II", btype, n) + body + struct.pack(o + "I", n)

        def option(code, value):
            return struct.pack(o + "HH", code, len(value)) + value + b"\0" * ((-len(value)) % 4)

        end = struct.pack(o + "HH", 0, 0)
        shb = struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1) + option(3, b"teiten make_captures.py") + end
        out = [block(0x0A0D0D0A, shb)]
        units = []
        for itf in self.interfaces:
            opts = option(2, itf["name"].encode())
            if itf["tsresol"] is not None:
                opts += option(9, bytes([itf["tsresol"]]))
            opts += end
            out.append(block(1, struct.pack(o + "HHI", itf["linktype"], 0, self.snaplen) + opts))
            r = itf["tsresol"]
            if r is None:
                units.append((10 ** 6, False))
            elif r & 0x80:
                units.append((2 ** (r & 0x7F), True))
            else:
                units.append((10 ** r, False))
        extra = dict()
        for pos, b in self.extra_blocks:
            extra.setdefault(pos, []).append(b)
        for i, p in enumerate(self.packets):
            for b in extra.get(i, []):
                out.append(b)
            per_sec, _ = units[p["iface"]]
            t = p["exact"] * per_sec
            assert t.denominator == 1, "timestamp not representable at this interface's resolution"
            t = int(t)
            opts = b""
            if p["epb_flags"] is not None:
                opts = option(2, struct.pack(o + "I", p["epb_flags"])) + end
            body = struct.pack(o + "IIIII", p["iface"], t >> 32, t & 0xFFFFFFFF, len(p["data"]), p["len"])
            body += p["data"] + b"\0" * ((-len(p["data"])) % 4) + opts
            out.append(block(6, body))
        for b in extra.get(len(self.packets), []):
            out.append(b)
        return b"".join(out)

    def pcapng_block(self, btype, body):
        o = self.order
        body += b"\0" * ((-len(body)) % 4)
        n = 12 + len(body)
        return struct.pack(o + "II", btype, n) + body + struct.pack(o + "I", n)

    def file_name(self):
        return self.name + (".pcapng" if self.fmt == "pcapng" else ".pcap")

    # ---- expectation --------------------------------------------------------

    def expectation(self):
        rows = {}
        counts = {"packets": len(self.packets), "counted": 0,
                  "malformed": {"total": 0, "by_reason": {}},
                  "non_ip": {"total": 0, "by_type": {}},
                  "ignored": {"total": 0, "by_reason": {}},
                  "not_observed": 0}
        detail = []
        decisions = []
        edges = []
        for i, p in enumerate(self.packets, start=1):
            e = p["expect"]
            r = e["result"]
            ts = p["ts"]
            if r == "counted":
                counts["counted"] += 1
                key = (day_of(ts, self.tz), e["proto"], e["port"], e["src"], e["kind"])
                sec = ts // SEC
                row = rows.get(key)
                if row is None:
                    rows[key] = row = {"accesses": 0, "first_seen": sec, "last_seen": sec}
                row["accesses"] += 1
                row["first_seen"] = min(row["first_seen"], sec)
                row["last_seen"] = max(row["last_seen"], sec)
            elif r == "malformed":
                m = counts["malformed"]
                m["total"] += 1
                m["by_reason"][e["reason"]] = m["by_reason"].get(e["reason"], 0) + 1
            elif r == "non_ip":
                m = counts["non_ip"]
                m["total"] += 1
                m["by_type"][e["type"]] = m["by_type"].get(e["type"], 0) + 1
            elif r == "ignored":
                m = counts["ignored"]
                m["total"] += 1
                m["by_reason"][e["reason"]] = m["by_reason"].get(e["reason"], 0) + 1
            elif r == "not_observed":
                counts["not_observed"] += 1
            d = {"frame": i, "time": fmt_time(ts, self.tz), "caplen": len(p["data"]), "len": p["len"],
                 "expect": e, "note": p["note"]}
            if self.fmt == "pcapng":
                d["interface"] = p["iface"]
            if p["ambiguous"]:
                d["decision"] = p["ambiguous"]
                decisions.append({"frame": i, "decision": p["ambiguous"]})
            if p["tshark"]:
                d["tshark_edge"] = p["tshark"]
                edges.append({"frame": i, "note": p["tshark"]})
            detail.append(d)
        out_rows = [{"day": k[0], "proto": k[1], "port": k[2], "src": k[3], "kind": k[4], **v}
                    for k, v in sorted(rows.items())]
        agg = {}
        for k, v in rows.items():
            a = agg.setdefault((k[0], k[1], k[2], k[4]), {"accesses": 0, "sources": 0})
            a["accesses"] += v["accesses"]
            a["sources"] += 1
        port_types = [{"day": k[0], "proto": k[1], "port": k[2], "kind": k[3], **v}
                      for k, v in sorted(agg.items())]
        return {
            "capture": self.file_name(),
            "description": self.description,
            "generator": "tests/data/generate/make_captures.py",
            "config": {"timezone": self.tz, "observed": self.observed, "ignore_sources": self.ignore},
            "counts": counts,
            "rows": out_rows,
            "port_types": port_types,
            "decisions": decisions,
            "tshark_edges": edges,
            "packets": detail,
            "notes": ("counts other than the rows are informational: the order of the checks is "
                      "link decode (malformed/non_ip), direction (outgoing), IP header validity "
                      "(malformed), destination (not_observed), source (ignored), then the "
                      "transport header (malformed) and the kind."),
        }


def fmt_time(ts_ns, zone):
    sec, frac = divmod(ts_ns, SEC)
    dt = datetime.fromtimestamp(sec, tz=timezone.utc).astimezone(ZoneInfo(zone))
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".%09d" % frac + dt.strftime("%z")


# ==========================================================================
# the captures

S4 = lambda n: "198.51.100.%d" % n  # noqa: E731
T4 = lambda n: "203.0.113.%d" % n  # noqa: E731
S6 = lambda n: "2001:db8:ffff::%x" % n  # noqa: E731


def cap_day_boundary_jst():
    c = Capture("day-boundary-jst",
                "Ethernet, microsecond pcap. Packets at 23:59:59.999 and 00:00:00.000 Asia/Tokyo across "
                "two midnights (JST midnight = 15:00 UTC), plus UTC midnight (09:00 JST, no day change).")
    m1 = ns_at(TOKYO, 2024, 7, 10)  # 2024-07-09T15:00:00Z
    m2 = ns_at(TOKYO, 2024, 7, 11)
    assert m1 == ns_utc(2024, 7, 9, 15)
    a, b, v6, d = S4(1), T4(7), S6(1), S4(2)
    c.add(eth4(v4tcp(a, OBS4, 40001, 445, SYN)), C(a, "tcp", 445, "probe"), "SYN 23:59:59.000 JST day 1",
          ts=m1 - SEC)
    c.add(eth4(v4tcp(a, OBS4, 40001, 445, SYN)), C(a, "tcp", 445, "probe"), "SYN 23:59:59.999 JST day 1",
          ts=m1 - MS)
    c.add(eth4(v4tcp(b, OBS4, 80, 40002, SYN | ACK)), C(b, "tcp", 80, "backscatter"),
          "SYN-ACK 23:59:59.999 JST day 1", ts=m1 - MS)
    c.add(eth4(v4udp(b, OBS4, 5070, 5060)), C(b, "udp", 5060, "probe"), "UDP 23:59:59.999999 JST day 1",
          ts=m1 - US)
    c.add(eth4(v4tcp(a, OBS4, 40001, 445, SYN)), C(a, "tcp", 445, "probe"), "SYN 00:00:00.000 JST day 2",
          ts=m1)
    c.add(eth4(v4udp(b, OBS4, 5070, 5060)), C(b, "udp", 5060, "probe"), "UDP 00:00:00.000000 JST day 2",
          ts=m1)
    c.add(eth4(v4tcp(a, OBS4, 40001, 445, SYN)), C(a, "tcp", 445, "probe"), "SYN 00:00:00.500 JST day 2",
          ts=m1 + 500 * MS)
    c.add(eth4(v4ping(d, OBS4)), C(d, "icmp", 8, "probe"), "Ping 08:59:59.999 JST = UTC 23:59:59.999",
          ts=ns_utc(2024, 7, 10, 23, 59, 59, 999 * MS))
    c.add(eth4(v4ping(d, OBS4, 2)), C(d, "icmp", 8, "probe"), "Ping 09:00:00 JST = UTC midnight (same JST day)",
          ts=ns_utc(2024, 7, 11))
    c.add(eth4(v4tcp(a, OBS4, 40001, 445, SYN)), C(a, "tcp", 445, "probe"), "SYN 23:59:59.999 JST day 2",
          ts=m2 - MS)
    c.add(eth6(v6ping(v6, OBS6)), C(v6, "icmpv6", 128, "probe"), "ICMPv6 echo 23:59:59.999 JST day 2",
          ts=m2 - MS)
    c.add(eth4(v4tcp(a, OBS4, 40001, 445, SYN)), C(a, "tcp", 445, "probe"), "SYN 00:00:00.000 JST day 3",
          ts=m2)
    c.add(eth6(v6ping(v6, OBS6, 2)), C(v6, "icmpv6", 128, "probe"), "ICMPv6 echo 00:00:00.000 JST day 3",
          ts=m2)
    c.add(eth4(v4tcp(b, OBS4, 80, 40002, RST)), C(b, "tcp", 80, "backscatter"),
          "RST 00:00:00.000001 JST day 3", ts=m2 + US)
    return c


def cap_day_boundary_jst_nsec():
    c = Capture("day-boundary-jst-nsec",
                "Big-endian nanosecond pcap: 23:59:59.999999999 and 00:00:00.000000000 Asia/Tokyo across two "
                "midnights; 23:59:59.9999995 must not round up to the next day.",
                order=">", nsec=True)
    m1 = ns_at(TOKYO, 2024, 7, 10)
    m2 = ns_at(TOKYO, 2024, 7, 11)
    a, b, v6 = S4(3), T4(8), S6(3)
    c.add(eth4(v4tcp(a, OBS4, 50000, 23, SYN)), C(a, "tcp", 23, "probe"), "SYN 23:59:59.999999999 day 1",
          ts=m1 - 1)
    c.add(eth4(v4tcp(a, OBS4, 50000, 23, SYN)), C(a, "tcp", 23, "probe"),
          "SYN 23:59:59.999999500 day 1 (truncate, never round, to microseconds)", ts=m1 - 500)
    c.add(eth4(v4tcp(a, OBS4, 50000, 23, SYN)), C(a, "tcp", 23, "probe"), "SYN 00:00:00.000000000 day 2",
          ts=m1)
    c.add(eth6(v6udp(v6, OBS6, 40000, 161)), C(v6, "udp", 161, "probe"), "UDP 23:59:59.999999999 day 1",
          ts=m1 - 1)
    c.add(eth6(v6udp(v6, OBS6, 40000, 161)), C(v6, "udp", 161, "probe"), "UDP 00:00:00.000000001 day 2",
          ts=m1 + 1)
    c.add(eth4(v4ping(b, OBS4)), C(b, "icmp", 8, "probe"), "Ping 23:59:59.999999999 day 2", ts=m2 - 1)
    c.add(eth4(v4ping(b, OBS4, 2)), C(b, "icmp", 8, "probe"), "Ping 00:00:00.000000000 day 3", ts=m2)
    return c


def cap_day_boundary_dst():
    z = "America/Santiago"
    c = Capture("day-boundary-dst-santiago",
                "Ethernet pcap for a zone whose DST changes happen at midnight (America/Santiago 2024): the "
                "repeated hour 23:00-24:00 on 2024-04-06 and the missing 00:00-01:00 on 2024-09-08.",
                timezone_=z)
    a, b = S4(4), T4(9)
    pts = [
        (ns_utc(2024, 4, 7, 2, 59, 59, 999 * MS), "23:59:59.999 -03 on 04-06"),
        (ns_utc(2024, 4, 7, 3, 0, 0), "23:00:00 -04 on 04-06 (repeated hour)"),
        (ns_utc(2024, 4, 7, 3, 59, 59, 999 * MS), "23:59:59.999 -04 on 04-06"),
        (ns_utc(2024, 4, 7, 4, 0, 0), "00:00:00 -04 on 04-07"),
        (ns_utc(2024, 9, 8, 3, 59, 59, 999 * MS), "23:59:59.999 -04 on 09-07"),
        (ns_utc(2024, 9, 8, 4, 0, 0), "01:00:00 -03 on 09-08 (00:00 does not exist)"),
    ]
    for i, (ts, note) in enumerate(pts):
        c.add(eth4(v4tcp(a, OBS4, 41000, 3389, SYN)), C(a, "tcp", 3389, "probe"), "SYN " + note, ts=ts)
        c.add(eth4(v4udp(b, OBS4, 53, 33000 + i)), C(b, "udp", 53, "backscatter"), "DNS reply " + note,
              ts=ts)
    return c


def cap_time_order():
    c = Capture("time-order",
                "Ethernet pcap whose records are not in time order: first_seen/last_seen are the earliest and "
                "latest packet times, not the first and last records; identical timestamps.")
    a, b = S4(20), S4(21)
    for h in (12, 6, 9):
        c.add(eth4(v4tcp(a, OBS4, 42000, 22, SYN)), C(a, "tcp", 22, "probe"), "SYN at %02d:00 JST" % h,
              ts=ns_at(TOKYO, 2024, 7, 10, h))
    c.add(eth4(v4tcp(b, OBS4, 42001, 23, SYN)), C(b, "tcp", 23, "probe"), "SYN 00:00:10 JST day 3",
          ts=ns_at(TOKYO, 2024, 7, 11, 0, 0, 10))
    c.add(eth4(v4tcp(b, OBS4, 42001, 23, SYN)), C(b, "tcp", 23, "probe"), "SYN 23:59:50 JST day 2 (earlier)",
          ts=ns_at(TOKYO, 2024, 7, 10, 23, 59, 50))
    t = ns_at(TOKYO, 2024, 7, 10, 13, 0, 0, 123456 * US)
    for _ in range(3):
        c.add(eth4(v4tcp(b, OBS4, 42001, 8080, SYN)), C(b, "tcp", 8080, "probe"), "same timestamp", ts=t)
    c.add(eth4(v4tcp(a, OBS4, 42000, 22, SYN)), C(a, "tcp", 22, "probe"), "SYN at 07:30 JST",
          ts=ns_at(TOKYO, 2024, 7, 10, 7, 30))
    return c


def cap_link_ethernet_vlan():
    c = Capture("link-ethernet-vlan",
                "Ethernet with 0, 1 (802.1Q), 2 (802.1ad+802.1Q, 802.1Q+802.1Q, legacy 0x9100+802.1Q), 3 and 4 "
                "VLAN tags, priority tag (VID 0), PCP/DEI bits, IPv4 and IPv6, tagged ARP.")
    q = lambda vid, pcp=0, dei=0: (ETH_VLAN, (pcp << 13) | (dei << 12) | vid)  # noqa: E731
    ad = lambda vid: (ETH_QINQ, vid)  # noqa: E731
    c.add(eth4(v4tcp(S4(31), OBS4, 40000, 445, SYN)), C(S4(31), "tcp", 445, "probe"), "untagged")
    c.add(eth4(v4tcp(S4(32), OBS4, 40000, 1433, SYN), vlans=[q(100)]), C(S4(32), "tcp", 1433, "probe"),
          "802.1Q VID 100")
    c.add(eth4(v4tcp(S4(33), OBS4, 40000, 135, SYN), vlans=[q(100, 7, 1)]), C(S4(33), "tcp", 135, "probe"),
          "802.1Q VID 100 PCP 7 DEI 1")
    c.add(eth4(v4tcp(S4(34), OBS4, 40000, 139, SYN), vlans=[ad(1525), q(30)]),
          C(S4(34), "tcp", 139, "probe"), "802.1ad 1525 + 802.1Q 30 (QinQ)")
    c.add(eth4(v4udp(S4(35), OBS4, 5070, 5060), vlans=[ad(10), q(20), q(30)]),
          C(S4(35), "udp", 5060, "probe"), "three tags 88a8/8100/8100")
    c.add(eth4(v4tcp(S4(36), OBS4, 40000, 22, SYN), vlans=[ad(10), q(20), q(30), q(40)]),
          C(S4(36), "tcp", 22, "probe"), "four tags 88a8/8100/8100/8100")
    c.add(eth6(v6tcp(S6(0x31), OBS6, 40000, 445, SYN), vlans=[q(200)]), C(S6(0x31), "tcp", 445, "probe"),
          "802.1Q IPv6")
    c.add(eth6(v6ping(S6(0x32), OBS6), vlans=[ad(300), q(400)]), C(S6(0x32), "icmpv6", 128, "probe"),
          "QinQ IPv6 ICMPv6 echo")
    c.add(eth6(v6udp(S6(0x33), OBS6, 40000, 53), vlans=[ad(1), q(2), q(3)]), C(S6(0x33), "udp", 53, "probe"),
          "three tags IPv6 UDP")
    c.add(eth4(v4ping(T4(31), OBS4), vlans=[q(0, 5)]), C(T4(31), "icmp", 8, "probe"), "priority tag VID 0")
    c.add(eth4(v4tcp(T4(32), OBS4, 40000, 8080, SYN), vlans=[q(5), q(6)]), C(T4(32), "tcp", 8080, "probe"),
          "802.1Q + 802.1Q")
    c.add(eth4(v4tcp(T4(37), OBS4, 40000, 5900, SYN), vlans=[(0x9100, 11), q(12)]),
          C(T4(37), "tcp", 5900, "probe"), "legacy QinQ TPID 0x9100 + 802.1Q",
          ambiguous="0x9100 (pre-802.1ad QinQ) is a VLAN tag like 0x8100 and 0x88a8")
    c.add(eth(arp_request(T4(33), OBS4), ETH_ARP, vlans=[q(100)]), N("arp"), "802.1Q ARP request")
    c.add(eth(arp_request(T4(34), OBS4), ETH_ARP, vlans=[ad(1), q(2)]), N("arp"), "QinQ ARP request")
    c.add(eth6(v6tcp(S6(0x34), OBS6, 40000, 23, SYN)), C(S6(0x34), "tcp", 23, "probe"), "untagged IPv6")
    c.add(eth4(v4tcp(T4(35), OTHER4, 40000, 445, SYN), vlans=[q(100)]), X(), "802.1Q to another address")
    c.add(eth4(v4tcp(T4(36), OBS4, 443, 40000, SYN | ACK), vlans=[ad(7), q(8), q(9), q(10)]),
          C(T4(36), "tcp", 443, "backscatter"), "four tags SYN-ACK")
    return c


def _cooked(c, wrap, v2):
    """Shared content of the SLL and SLL2 captures; wrap(payload, proto, pkttype, hatype)."""
    base = 0x40 if not v2 else 0x50
    a = lambda n: S4(base + n)  # noqa: E731
    c.add(wrap(v4tcp(a(1), OBS4, 40000, 445, SYN), ETH_IPV4, 0, 1), C(a(1), "tcp", 445, "probe"),
          "PACKET_HOST (0)")
    c.add(wrap(v4udp(a(2), OBS4, 40000, 137), ETH_IPV4, 1, 1), C(a(2), "udp", 137, "probe"),
          "PACKET_BROADCAST (1)")
    c.add(wrap(v6ping(S6(base + 1), OBS6), ETH_IPV6, 2, 1), C(S6(base + 1), "icmpv6", 128, "probe"),
          "PACKET_MULTICAST (2)")
    c.add(wrap(v4tcp(a(3), OBS4, 40000, 3389, SYN), ETH_IPV4, 3, 1), C(a(3), "tcp", 3389, "probe"),
          "PACKET_OTHERHOST (3)")
    c.add(wrap(v4tcp(a(4), OBS4, 40000, 80, SYN), ETH_IPV4, 4, 1), IGN("outgoing"),
          "PACKET_OUTGOING (4) that looks like an inbound probe")
    c.add(wrap(v4tcp(OBS4, a(1), 445, 40000, SYN | ACK), ETH_IPV4, 4, 1), IGN("outgoing"),
          "PACKET_OUTGOING: the host's own SYN-ACK")
    c.add(wrap(v6tcp(S6(base + 2), OBS6, 443, 40000, SYN | ACK), ETH_IPV6, 0, 1),
          C(S6(base + 2), "tcp", 443, "backscatter"), "IPv6 SYN-ACK in")
    c.add(wrap(arp_request(a(5), OBS4), ETH_ARP, 1, 1), N("arp"), "ARP broadcast")
    c.add(wrap(v6udp(S6(base + 3), OBS6, 40000, 53), ETH_IPV6, 4, 1), IGN("outgoing"), "IPv6 PACKET_OUTGOING")
    c.add(wrap(v4ping(a(6), OBS4), ETH_IPV4, 0, 772), C(a(6), "icmp", 8, "probe"), "ARPHRD_LOOPBACK (772)")
    c.add(wrap(b"\x42\x42\x03" + b"\0" * 35, 0x0004, 0, 1), N("llc"), "protocol 0x0004: 802.2 LLC (STP)")
    c.add(wrap(v4tcp(a(7), OTHER4, 40000, 445, SYN), ETH_IPV4, 3, 1), X(), "PACKET_OTHERHOST to another address")
    c.add(wrap(v4tcp(a(1), OBS4, 40000, 445, SYN), ETH_IPV4, 0, 1), C(a(1), "tcp", 445, "probe"),
          "PACKET_HOST again (2 accesses)")


def cap_link_sll():
    c = Capture("link-sll", "Linux cooked v1 (LINKTYPE_LINUX_SLL 113): every packet type; outgoing (4) "
                "frames are never counted; ARP and LLC are non-IP; a cut cooked header.",
                linktype=LINKTYPE_LINUX_SLL)
    _cooked(c, lambda p, proto, t, h: sll(p, proto, t, h), False)
    c.add(sll(v4tcp(S4(0x48), OBS4, 40000, 445, SYN), ETH_IPV4)[:10], M("link"), "cooked header cut at 10 bytes")
    return c


def cap_link_sll2():
    c = Capture("link-sll2", "Linux cooked v2 (LINKTYPE_LINUX_SLL2 276): the same packets as link-sll.",
                linktype=LINKTYPE_LINUX_SLL2)
    _cooked(c, lambda p, proto, t, h: sll2(p, proto, t, h), True)
    c.add(sll2(v4tcp(S4(0x58), OBS4, 40000, 445, SYN), ETH_IPV4)[:18], M("link"), "cooked v2 header cut at 18 bytes")
    return c


def cap_link_raw():
    c = Capture("link-raw", "LINKTYPE_RAW (101): IPv4 and IPv6 told apart by the version nibble; other "
                "versions and an empty record are malformed.", linktype=LINKTYPE_RAW)
    c.add(v4tcp(S4(61), OBS4, 40000, 445, SYN), C(S4(61), "tcp", 445, "probe"), "IPv4 SYN")
    c.add(v6tcp(S6(0x61), OBS6, 40000, 445, SYN), C(S6(0x61), "tcp", 445, "probe"), "IPv6 SYN")
    c.add(v4udp(T4(61), OBS4, 40000, 161), C(T4(61), "udp", 161, "probe"), "IPv4 UDP")
    c.add(v6icmp(S6(0x62), OBS6, 129, 0, *echo()), C(S6(0x62), "icmpv6", 129, "backscatter"),
          "IPv6 echo reply")
    bad = bytearray(v4tcp(S4(62), OBS4, 40000, 445, SYN))
    bad[0] = 0x55
    c.add(bytes(bad), M("ip-version"), "version 5")
    bad[0] = 0x05
    c.add(bytes(bad), M("ip-version"), "version 0")
    c.add(b"", M("ip-header"), "empty record (caplen 0, len 0)")
    return c


def cap_link_ipv4():
    c = Capture("link-ipv4-228", "LINKTYPE_IPV4 (228): IPv4 only; an IPv6 packet here is malformed.",
                linktype=LINKTYPE_IPV4)
    c.add(v4tcp(S4(63), OBS4, 40000, 1433, SYN), C(S4(63), "tcp", 1433, "probe"), "IPv4 SYN")
    c.add(v4udp(S4(64), OBS4, 53, 40000), C(S4(64), "udp", 53, "backscatter"), "IPv4 DNS reply")
    c.add(v4ping(S4(65), OBS4), C(S4(65), "icmp", 8, "probe"), "IPv4 ping")
    c.add(v6udp(S6(0x63), OBS6, 40000, 53), M("ip-version"),
          "IPv6 packet in a LINKTYPE_IPV4 file",
          ambiguous="the link type promises IPv4; a version-6 header there is an invalid IPv4 header "
                    "(malformed), not IPv6",
          tshark="tshark's ip dissector hands a version-6 packet to ipv6 and decodes it; the oracle "
                 "requires the version the link type (or ethertype, or BSD family) promises")
    return c


def cap_link_ipv6():
    c = Capture("link-ipv6-229", "LINKTYPE_IPV6 (229): IPv6 only; an IPv4 packet here is malformed.",
                linktype=LINKTYPE_IPV6)
    c.add(v6tcp(S6(0x64), OBS6, 40000, 22, SYN), C(S6(0x64), "tcp", 22, "probe"), "IPv6 SYN")
    c.add(v6udp(S6(0x65), OBS6, 123, 40000), C(S6(0x65), "udp", 123, "backscatter"), "IPv6 NTP reply")
    c.add(v6ping(S6(0x66), OBS6), C(S6(0x66), "icmpv6", 128, "probe"), "IPv6 ping")
    c.add(v4tcp(S4(66), OBS4, 40000, 22, SYN), M("ip-version"), "IPv4 packet in a LINKTYPE_IPV6 file",
          ambiguous="the link type promises IPv6; a version-4 header there is malformed")
    return c


def cap_link_null(order, name):
    other = "<" if order == ">" else ">"
    c = Capture(name, "BSD loopback (LINKTYPE_NULL 0) in a %s-endian pcap: the 4-byte family in either byte "
                "order; AF_INET 2, AF_INET6 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (Darwin); other families are "
                "non-IP." % ("little" if order == "<" else "big"),
                linktype=LINKTYPE_NULL, order=order)
    n = 0x70 if order == "<" else 0x78
    fams = [(2, order, "AF_INET, file byte order"), (2, other, "AF_INET, other byte order"),
            (24, order, "AF_INET6 24, file byte order"), (24, other, "AF_INET6 24, other byte order"),
            (28, order, "AF_INET6 28, file byte order"), (28, other, "AF_INET6 28, other byte order"),
            (30, order, "AF_INET6 30, file byte order"), (30, other, "AF_INET6 30, other byte order")]
    for i, (fam, o, note) in enumerate(fams):
        if fam == 2:
            src = S4(n + i)
            pkt = v4tcp(src, OBS4, 40000, 445 + i, SYN) if i % 2 == 0 else v4udp(src, OBS4, 40000, 500 + i)
            exp = C(src, "tcp", 445 + i, "probe") if i % 2 == 0 else C(src, "udp", 500 + i, "probe")
        else:
            src = S6(n + i)
            pkt = v6tcp(src, OBS6, 40000, 445 + i, SYN) if i % 2 == 0 else v6tcp(src, OBS6, 80, 40000, RST | ACK)
            exp = C(src, "tcp", 445 + i, "probe") if i % 2 == 0 else C(src, "tcp", 80, "backscatter")
        c.add(null_hdr(fam, o) + pkt, exp, note)
    c.add(null_hdr(7, order) + v4tcp(S4(n + 10), OBS4, 40000, 445, SYN), N("family 7"),
          "unknown family 7 carrying IPv4 bytes")
    c.add(null_hdr(23, order) + b"\xff\xff" + b"\0" * 28, N("family 23"), "family 23 (AF_IPX on FreeBSD)")
    c.add(null_hdr(2, order) + v6tcp(S6(n + 10), OBS6, 40000, 445, SYN), M("ip-version"),
          "AF_INET carrying an IPv6 packet", ambiguous="family promises IPv4; version 6 is malformed")
    c.add(null_hdr(2, order)[:3], M("link"), "3-byte record: family cut")
    return c


def cap_link_loop():
    c = Capture("link-loop", "OpenBSD loopback (LINKTYPE_LOOP 108): the family is always in network byte "
                "order, in a little-endian file.", linktype=LINKTYPE_LOOP)
    fams = [(2, S4(0x7a)), (24, S6(0x7a)), (28, S6(0x7b)), (30, S6(0x7c))]
    for fam, src in fams:
        pkt = v4tcp(src, OBS4, 40000, 445, SYN) if fam == 2 else v6tcp(src, OBS6, 40000, 445, SYN)
        c.add(null_hdr(fam, ">") + pkt, C(src, "tcp", 445, "probe"), "family %d" % fam)
    c.add(null_hdr(7, ">") + v4tcp(S4(0x7b), OBS4, 40000, 445, SYN), N("family 7"), "unknown family 7")
    return c


def cap_ipv4_options_fragments():
    c = Capture("ipv4-options-fragments",
                "IPv4 with options and IPv4 fragments: first fragments carrying the whole TCP/UDP/ICMP header "
                "are classified; non-first fragments are ip/<protocol> other; first fragments too short for "
                "the TCP flags or the UDP header are malformed. No reassembly.")
    a = lambda n: S4(0x80 + n)  # noqa: E731
    rr = bytes([7, 11, 4]) + b"\0" * 8 + b"\x00"  # record route, 2 slots, then EOL padding
    c.add(eth4(v4tcp(a(1), OBS4, 40000, 445, SYN, ipopts=b"\x01\x01" + rr[:10])),
          C(a(1), "tcp", 445, "probe"), "options NOP NOP record-route")
    ts_opt = bytes([68, 36, 5, 0]) + b"\0" * 32 + b"\0" * 4  # timestamp option, 40 bytes of options
    c.add(eth4(ipv4(a(2), OBS4, 17, udp(40000, 53, b"q", a(2), OBS4), opts=ts_opt)),
          C(a(2), "udp", 53, "probe"), "IHL 15 (40 bytes of options)")
    c.add(eth4(ipv4(a(3), OBS4, 1, icmp(8, 0, *echo()), opts=bytes([148, 4, 0, 0]))),
          C(a(3), "icmp", 8, "probe"), "router-alert option")
    seg = tcp(40000, 80, SYN, payload=b"A" * 24)  # 44 bytes: header + 24 bytes of data
    c.add(eth4(ipv4(a(4), OBS4, 6, seg[:32], mf=True, ident=7)), C(a(4), "tcp", 80, "probe"),
          "first fragment (MF, offset 0) with the whole TCP header", tshark="tshark decodes the TCP header and notes 'Unreassembled fragment' (defragmentation off)")
    c.add(eth4(ipv4(a(4), OBS4, 6, seg[32:40], mf=True, frag=4, ident=7)), C(a(4), "ip", 6, "other"),
          "middle fragment (offset 32)")
    c.add(eth4(ipv4(a(4), OBS4, 6, seg[40:], frag=5, ident=7)), C(a(4), "ip", 6, "other"),
          "last fragment (offset 40, MF clear)")
    useg = udp(40000, 161, b"B" * 40, a(5), OBS4)
    c.add(eth4(ipv4(a(5), OBS4, 17, useg[:16], mf=True, ident=8)), C(a(5), "udp", 161, "probe"),
          "UDP first fragment")
    c.add(eth4(ipv4(a(5), OBS4, 17, useg[16:], frag=2, ident=8)), C(a(5), "ip", 17, "other"),
          "UDP last fragment")
    iseg = icmp(8, 0, *echo(payload=b"C" * 40))
    c.add(eth4(ipv4(a(6), OBS4, 1, iseg[:24], mf=True, ident=9)), C(a(6), "icmp", 8, "probe"),
          "ICMP echo first fragment")
    c.add(eth4(ipv4(a(6), OBS4, 1, iseg[24:], frag=3, ident=9)), C(a(6), "ip", 1, "other"),
          "ICMP echo last fragment")
    syn = tcp(40000, 22, SYN)
    c.add(eth4(ipv4(a(7), OBS4, 6, syn[:8], mf=True, ident=10)), M("tcp"),
          "first fragment with 8 bytes of TCP (no flags)")
    c.add(eth4(ipv4(a(7), OBS4, 6, syn[8:], frag=1, ident=10)), C(a(7), "ip", 6, "other"),
          "its second fragment holds the flags: still a non-first fragment")
    c.add(eth4(ipv4(a(8), OBS4, 6, syn[:12], mf=True, ident=11)), M("tcp"),
          "first fragment with 12 bytes of TCP (cut before the offset/flags bytes)")
    c.add(eth4(ipv4(a(9), OBS4, 6, syn[:14], mf=True, ident=12)), C(a(9), "tcp", 22, "probe"),
          "first fragment with 14 bytes of TCP: through the flags byte is enough",
          tshark="tshark 4.0 shows only the ports when fewer than 20 TCP bytes remain; the oracle reads the "
                 "flags byte from frame_raw (E4)")
    c.add(eth4(ipv4(a(10), OBS4, 17, udp(40000, 53, b"D" * 8, a(10), OBS4)[:4], mf=True, ident=13)), M("udp"),
          "first fragment with 4 bytes of UDP")
    c.add(eth4(ipv4(a(11), OBS4, 6, b"E" * 16, frag=1, ident=14, opts=b"\x01\x01\x01\x00")),
          C(a(11), "ip", 6, "other"), "non-first fragment with IP options")
    c.add(eth4(ipv4(a(12), OBS4, 6, tcp(40000, 25, SYN)[8:], frag=1, ident=15)),
          C(a(12), "ip", 6, "other"), "tiny-fragment overlap: offset 8 holds SYN flags, still non-first")
    c.add(eth4(v4tcp(a(13), OBS4, 40000, 8443, SYN, df=True)), C(a(13), "tcp", 8443, "probe"), "DF set")
    dns = udp(53, 40123, b"F" * 64, T4(0x80), OBS4)
    c.add(eth4(ipv4(T4(0x80), OBS4, 17, dns[:40], mf=True, ident=16)), C(T4(0x80), "udp", 53, "backscatter"),
          "first fragment of a large DNS reply: backscatter")
    c.add(eth4(ipv4(T4(0x80), OBS4, 17, dns[40:], frag=5, ident=16)), C(T4(0x80), "ip", 17, "other"),
          "its last fragment")
    c.add(eth4(v4tcp(a(14), OBS4, 40000, 445, SYN, bad_checksum=True)), C(a(14), "tcp", 445, "probe"),
          "IPv4 header checksum wrong",
          ambiguous="checksums are not verified: a wrong IPv4 header checksum does not make the header invalid")
    return c


def cap_ipv6_ext():
    c = Capture("ipv6-extension-headers",
                "IPv6 extension headers: hop-by-hop, routing (types 0 and 4), destination options, fragment "
                "(first, non-first, atomic); port = the last next header for non-first fragments and other "
                "protocols; truncated chains are malformed.")
    a = lambda n: S6(0x100 + n)  # noqa: E731
    D = OBS6
    padn4 = bytes([1, 4, 0, 0, 0, 0])
    srh = bytes([0, 0, 0, 0]) + addr(D)  # SRH: last entry 0, flags 0, tag 0, one segment
    t = lambda s, dp, f=SYN: tcp(40000, dp, f, s, D)  # noqa: E731
    c.add(eth6(ipv6_chain(a(1), D, [("hbh", padn4), ("nh", 6)], t(a(1), 445))), C(a(1), "tcp", 445, "probe"),
          "hop-by-hop + TCP SYN")
    c.add(eth6(ipv6_chain(a(2), D, [("hbh", b""), ("rt", (4, 0, srh)), ("dst", padn4), ("nh", 6)], t(a(2), 22))),
          C(a(2), "tcp", 22, "probe"), "hop-by-hop + routing (SRH, segments left 0) + destination options + SYN")
    c.add(eth6(ipv6_chain(a(3), D, [("dst", b""), ("nh", 17)], udp(40000, 53, b"q", a(3), D))),
          C(a(3), "udp", 53, "probe"), "destination options + UDP")
    c.add(eth6(ipv6_chain(a(4), D, [("rt", (0, 0, b"\0\0\0\0" + addr(D))), ("nh", 58)],
                          icmp6(128, 0, *echo(), src=a(4), dst=D))),
          C(a(4), "icmpv6", 128, "probe"), "routing type 0 (segments left 0) + echo request")
    seg = tcp(40000, 80, SYN, a(5), D, payload=b"A" * 40)
    c.add(eth6(ipv6_chain(a(5), D, [("frag", (0, True)), ("nh", 6)], seg[:32])), C(a(5), "tcp", 80, "probe"),
          "fragment header, first fragment, whole TCP header")
    c.add(eth6(ipv6_chain(a(5), D, [("frag", (4, False)), ("nh", 6)], seg[32:])), C(a(5), "ip", 6, "other"),
          "non-first fragment (offset 32): ip/6")
    ping = icmp6(128, 0, *echo(payload=b"P" * 40), src=a(6), dst=D)
    c.add(eth6(ipv6_chain(a(6), D, [("frag", (0, True)), ("nh", 58)], ping[:24])),
          C(a(6), "icmpv6", 128, "probe"), "first fragment of an echo request")
    c.add(eth6(ipv6_chain(a(6), D, [("frag", (3, False)), ("nh", 58)], ping[24:])), C(a(6), "ip", 58, "other"),
          "its last fragment: ip/58")
    c.add(eth6(ipv6_chain(a(7), D, [("frag", (8, True)), ("nh", 17)], b"U" * 32)), C(a(7), "ip", 17, "other"),
          "non-first UDP fragment: ip/17")
    c.add(eth6(ipv6_chain(a(8), D, [("hbh", b""), ("frag", (2, False)), ("nh", 6)], b"T" * 16)),
          C(a(8), "ip", 6, "other"), "hop-by-hop + non-first fragment: ip/6")
    c.add(eth6(ipv6_chain(a(9), D, [("frag", (0, False)), ("nh", 17)], udp(40000, 123, b"n", a(9), D))),
          C(a(9), "udp", 123, "probe"), "atomic fragment (offset 0, M clear) + UDP")
    c.add(eth6(ipv6_chain(a(10), D, [("frag", (0, True)), ("dst", b""), ("nh", 6)], t(a(10), 443))),
          C(a(10), "tcp", 443, "probe"), "first fragment whose fragmentable part starts with destination options")
    c.add(eth6(ipv6_chain(a(10), D, [("frag", (3, False)), ("nh", 60)], b"X" * 16)), C(a(10), "ip", 60, "other"),
          "non-first fragment whose first fragmentable header is destination options: ip/60")
    c.add(eth6(ipv6(a(11), D, 59, b"")), C(a(11), "ip", 59, "other"), "no next header (59)")
    c.add(eth6(ipv6_chain(a(12), D, [("hbh", padn4), ("nh", 59)], b"")), C(a(12), "ip", 59, "other"),
          "hop-by-hop then no next header")
    c.add(eth6(ipv6_chain(a(13), D, [("frag", (0, True)), ("nh", 6)], t(a(13), 25)[:8])), M("tcp"),
          "first fragment with 8 bytes of TCP")
    short = ipv6(a(14), D, 0, bytes([6, 0, 1, 4]), plen=4)
    c.add(eth6(short), M("ipv6-ext"), "hop-by-hop cut after 4 bytes (payload length 4), Ethernet padding follows")
    hbh_long = bytes([6, 1]) + bytes([1, 4, 0, 0, 0, 0])  # says 16 bytes, only 8 follow
    c.add(eth6(ipv6(a(15), D, 0, hbh_long + t(a(15), 445)[:0])), M("ipv6-ext"),
          "hop-by-hop length 16 with 8 bytes in the packet")
    c.add(eth6(ipv6_chain(a(16), D, [("dst", padn4), ("nh", 50)], b"\0\0\x10\x01" + b"\0\0\0\x01" + b"E" * 24)),
          C(a(16), "ip", 50, "other"), "destination options + ESP: ip/50")
    c.add(eth6(ipv6_chain(a(17), D, [("hbh", padn4), ("rt", (4, 0, srh)), ("nh", 17)],
                          udp(40000, 5060, b"sip", a(17), D))), C(a(17), "udp", 5060, "probe"),
          "hop-by-hop + routing + UDP 5060")
    big = ipv6(a(18), D, 6, t(a(18), 445), plen=60)
    c.add(eth6(big), M("ip-length") if READING["ip_length"] == "wire" else C(a(18), "tcp", 445, "probe"),
          "payload length 60 but only 20 bytes on the wire (not cut by snaplen)",
          ambiguous="READING ip_length=%s: an IPv6 payload length beyond the bytes on the wire %s"
                    % (READING["ip_length"], "makes the IP header invalid (malformed)"
                       if READING["ip_length"] == "wire" else "only bounds the payload (counted)"))
    # A jumbogram (RFC 2675): payload length 0 and a Jumbo Payload option above 65535. Recorded with
    # its headers only (caplen 82 of 70054 bytes), as a snaplen cuts it.
    jumbo_len = 70000
    jumbo_opt = bytes([0xC2, 4]) + struct.pack("!I", jumbo_len)
    jumbo = eth6(ipv6_chain(a(20), D, [("hbh", jumbo_opt), ("nh", 6)], t(a(20), 8080), plen=0))
    c.add(jumbo, C(a(20), "tcp", 8080, "probe"),
          "jumbogram: payload length 0, Jumbo Payload option %d, SYN; caplen %d" % (jumbo_len, len(jumbo)),
          orig_len=14 + 40 + jumbo_len)
    c.add(eth6(ipv6(a(19), D, 6, t(a(19), 445)))[:14 + 30], M("ip-header"), "IPv6 header cut at 30 bytes")
    return c


def cap_tcp_flags():
    c = Capture("tcp-flags",
                "TCP flag combinations over IPv4 and IPv6: probe = SYN with ACK and RST clear (ECE/CWR/FIN/"
                "PSH/URG/AE do not matter); SYN+ACK or any RST = backscatter at the source port; others = other "
                "at the destination port.")
    combos = [
        (SYN, "probe", "SYN"), (SYN | ECE | CWR, "probe", "SYN+ECE+CWR"), (SYN | ECE, "probe", "SYN+ECE"),
        (SYN | CWR, "probe", "SYN+CWR"), (SYN | FIN, "probe", "SYN+FIN"), (SYN | PSH | URG, "probe", "SYN+PSH+URG"),
        (SYN | AE, "probe", "SYN+AE (former NS bit)"), (SYN | ACK, "backscatter", "SYN+ACK"),
        (SYN | ACK | ECE, "backscatter", "SYN+ACK+ECE"), (RST, "backscatter", "RST"),
        (RST | ACK, "backscatter", "RST+ACK"), (SYN | RST, "backscatter", "SYN+RST"),
        (SYN | RST | ACK, "backscatter", "SYN+RST+ACK"), (RST | FIN | PSH | URG, "backscatter", "RST+FIN+PSH+URG"),
        (ACK, "other", "ACK"), (FIN, "other", "FIN"), (FIN | ACK, "other", "FIN+ACK"), (PSH | ACK, "other", "PSH+ACK"),
        (FIN | PSH | URG, "other", "XMAS (FIN+PSH+URG)"), (0, "other", "NULL (no flags)"), (URG, "other", "URG"),
        (ECE | CWR, "other", "ECE+CWR"), (AE | ACK, "other", "AE+ACK"),
    ]
    for i, (flags, kind, note) in enumerate(combos):
        src = S4(0x90 + i)
        dport = 1000 + i
        port = dport if kind != "backscatter" else 80
        c.add(eth4(v4tcp(src, OBS4, 80, dport, flags)), C(src, "tcp", port, kind), "IPv4 " + note)
    for i, (flags, kind, note) in enumerate(combos):
        src = S6(0x200 + i)
        dport = 2000 + i
        port = dport if kind != "backscatter" else 443
        c.add(eth6(v6tcp(src, OBS6, 443, dport, flags)), C(src, "tcp", port, kind), "IPv6 " + note)
    r = T4(0x90)
    for k in range(3):
        c.add(eth4(v4tcp(r, OBS4, 40000 + k, 445, SYN)), C(r, "tcp", 445, "probe"), "repeated SYN %d/3" % (k + 1))
    c.add(eth4(v4tcp(T4(0x91), OBS4, 40000, 0, SYN)), C(T4(0x91), "tcp", 0, "probe"), "SYN to port 0")
    c.add(eth4(v4tcp(T4(0x92), OBS4, 0, 40000, SYN | ACK)), C(T4(0x92), "tcp", 0, "backscatter"),
          "SYN-ACK from port 0")
    c.add(eth4(v4tcp(T4(0x93), OBS4, 40000, 445, SYN,
                     opts=b"\x02\x04\x05\xb4\x04\x02\x08\x0a" + b"\0" * 8 + b"\x01\x03\x03\x07")),
          C(T4(0x93), "tcp", 445, "probe"), "SYN with MSS/SACK/TS/WS options")
    strict = READING["tcp_offset"] == "invalid"
    for src, doff in ((T4(0x94), 0), (T4(0x95), 4)):
        c.add(eth4(v4tcp(src, OBS4, 40000, 445, SYN, doff=doff)),
              M("tcp") if strict else C(src, "tcp", 445, "probe"), "SYN with data offset %d" % doff,
              ambiguous="READING tcp_offset=%s: a TCP data offset below 5 %s" % (
                  READING["tcp_offset"], "makes the TCP header invalid (malformed) although the flags byte "
                  "was captured" if strict else "does not matter: only the bytes through the flags are needed"))
    c.add(eth4(v4tcp(T4(0x96), OBS4, 40000, 3306, SYN, doff=15)), C(T4(0x96), "tcp", 3306, "probe"),
          "SYN with data offset 15 (60 bytes) but only the 20-byte base header in the packet",
          ambiguous="only the bytes through the flags are needed: a data offset beyond the segment does not make "
                    "the packet malformed",
          tshark="tshark shows tcp.flags with a 'Short segment' expert warning and a malformed mark")
    return c


def cap_udp():
    c = Capture("udp-reflection",
                "UDP probes and backscatter: from a reflection port (19,53,123,161,389,1900,3702,5353,11211) to a "
                "port >= 1024 is backscatter at the source port; to a port < 1024 it is a probe at the "
                "destination port; other source ports are probes.")
    n = 0
    for p in REFLECTION_PORTS:
        for dport, kind in ((1024, "backscatter"), (65535, "backscatter"), (40000 + p, "backscatter"),
                            (1023, "probe"), (p if p < 1024 else 0, "probe")):
            n += 1
            src = T4(n)
            port = p if kind == "backscatter" else dport
            c.add(eth4(v4udp(src, OBS4, p, dport, b"reply")), C(src, "udp", port, kind),
                  "UDP %d -> %d" % (p, dport))
    for p in (1900, 3702, 5353, 11211):
        n += 1
        c.add(eth4(v4udp(T4(n), OBS4, p, p, b"same")), C(T4(n), "udp", p, "backscatter"),
              "UDP %d -> %d: destination >= 1024, so backscatter" % (p, p))
    for sport, dport in ((40000, 53), (0, 53), (137, 40000), (20, 40000), (52, 40000), (54, 40000),
                         (124, 40000), (160, 40000), (162, 40000), (1901, 40000), (5060, 5060), (40000, 5060),
                         (40000, 27649), (40000, 0)):
        n += 1
        c.add(eth4(v4udp(T4(n), OBS4, sport, dport)), C(T4(n), "udp", dport, "probe"),
              "UDP %d -> %d: probe" % (sport, dport))
    n += 1
    c.add(eth4(v4udp(T4(n), OBS4, 40000, 5060, b"")), C(T4(n), "udp", 5060, "probe"), "empty payload")
    n += 1
    c.add(eth4(ipv4(T4(n), OBS4, 17, udp(40000, 1434, b"x" * 16, length=0))), C(T4(n), "udp", 1434, "probe"),
          "UDP length field 0", ambiguous="only the 8-byte header is needed; a wrong UDP length is not malformed")
    n += 1
    c.add(eth4(ipv4(T4(n), OBS4, 17, udp(40000, 1434, b"x" * 16, length=200))), C(T4(n), "udp", 1434, "probe"),
          "UDP length field 200 > datagram", ambiguous="a wrong UDP length is not malformed")
    for i in range(3):
        c.add(eth4(v4udp(T4(200), OBS4, 40000 + i, 5060, b"OPTIONS sip:100@192.0.2.10 SIP/2.0\r\n")),
              C(T4(200), "udp", 5060, "probe"), "SIP OPTIONS scan %d/3" % (i + 1))
    c.add(eth6(v6udp(S6(0x300), OBS6, 53, 50000)), C(S6(0x300), "udp", 53, "backscatter"), "IPv6 DNS reply")
    c.add(eth6(v6udp(S6(0x301), OBS6, 40000, 5060)), C(S6(0x301), "udp", 5060, "probe"), "IPv6 SIP probe")
    c.add(eth6(v6udp(S6(0x302), OBS6, 11211, 80)), C(S6(0x302), "udp", 80, "probe"), "IPv6 11211 -> 80: probe")
    c.add(eth6(v6udp(S6(0x303), OBS6, 123, 1024)), C(S6(0x303), "udp", 123, "backscatter"), "IPv6 NTP reply")
    return c


def cap_icmp():
    c = Capture("icmp-types",
                "ICMPv4 and ICMPv6 types: requests are probes (8 is 'Ping'), replies and errors are backscatter "
                "of their ICMP type (also when they quote TCP or UDP), other types are other; type and code "
                "are enough.")
    n = 0

    def v4(typ, code, kind, note, rest=b"\0\0\0\0", payload=b""):
        nonlocal n
        n += 1
        src = S4(0xC0 + n)
        c.add(eth4(v4icmp(src, OBS4, typ, code, rest, payload)), C(src, "icmp", typ, kind), note)

    er, ep = echo()
    v4(8, 0, "probe", "echo request (Ping)", er, ep)
    v4(13, 0, "probe", "timestamp request", er, b"\0" * 12)
    v4(15, 0, "probe", "information request", er)
    v4(17, 0, "probe", "address mask request", er, b"\0" * 4)
    v4(0, 0, "backscatter", "echo reply", er, ep)
    quote_tcp = ipv4(OBS4, T4(1), 6, tcp(445, 40000, SYN | ACK, OBS4, T4(1)))[:28]
    quote_udp = ipv4(OBS4, T4(2), 17, udp(40000, 53, b"query", OBS4, T4(2)))[:28]
    quote_syn = ipv4(OBS4, T4(3), 6, tcp(40000, 80, SYN, OBS4, T4(3)))
    for code in (0, 1, 3, 10, 13):
        v4(3, code, "backscatter", "destination unreachable code %d" % code, payload=quote_udp)
    v4(3, 3, "backscatter", "port unreachable quoting UDP 40000->53 (never a UDP access)", payload=quote_udp)
    v4(3, 13, "backscatter", "admin prohibited quoting TCP SYN-ACK 445->40000 (never a TCP access)",
       payload=quote_tcp)
    v4(3, 1, "backscatter", "host unreachable quoting a whole TCP SYN from the sensor's address", payload=quote_syn)
    v4(4, 0, "backscatter", "source quench", payload=quote_tcp)
    v4(5, 1, "backscatter", "redirect", rest=addr(T4(9)), payload=quote_udp)
    v4(11, 0, "backscatter", "time exceeded quoting TCP", payload=quote_tcp)
    v4(12, 0, "backscatter", "parameter problem", rest=b"\x14\0\0\0", payload=quote_udp)
    v4(14, 0, "backscatter", "timestamp reply", er, b"\0" * 12)
    v4(16, 0, "backscatter", "information reply", er)
    v4(18, 0, "backscatter", "address mask reply", er, b"\xff\xff\xff\0")
    for typ in (1, 2, 6, 7, 9, 10, 19, 30, 40, 42, 43, 253, 255):
        v4(typ, 0, "other", "type %d" % typ)
    n += 1
    c.add(eth4(ipv4(S4(0xC0 + n), OBS4, 1, b"\x08\x00")), C(S4(0xC0 + n), "icmp", 8, "probe"),
          "ICMP with only type and code (2 bytes)")
    n += 1
    c.add(eth4(ipv4(S4(0xC0 + n), OBS4, 1, b"\x08")), M("icmp"), "ICMP with 1 byte")
    n += 1
    c.add(eth4(ipv4(S4(0xC0 + n), OBS4, 1, b"")), M("icmp"), "ICMP with 0 bytes")
    for k in range(4):
        c.add(eth4(v4ping(T4(0xC0), OBS4, k)), C(T4(0xC0), "icmp", 8, "probe"), "ping %d/4 from one source" % (k + 1))

    m = 0

    def v6(typ, code, kind, note, rest=b"\0\0\0\0", payload=b""):
        nonlocal m
        m += 1
        src = S6(0x400 + m)
        c.add(eth6(v6icmp(src, OBS6, typ, code, rest, payload)), C(src, "icmpv6", typ, kind), note)

    q6tcp = ipv6(OBS6, S6(1), 6, tcp(445, 40000, SYN | ACK, OBS6, S6(1)))[:48]
    q6udp = ipv6(OBS6, S6(2), 17, udp(40000, 53, b"q", OBS6, S6(2)))[:48]
    v6(128, 0, "probe", "echo request", er, ep)
    v6(129, 0, "backscatter", "echo reply", er, ep)
    v6(1, 4, "backscatter", "destination unreachable (port) quoting UDP", payload=q6udp)
    v6(1, 1, "backscatter", "destination unreachable (prohibited) quoting TCP", payload=q6tcp)
    v6(2, 0, "backscatter", "packet too big", rest=struct.pack("!I", 1280), payload=q6tcp)
    v6(3, 0, "backscatter", "time exceeded", payload=q6udp)
    v6(4, 1, "backscatter", "parameter problem", rest=struct.pack("!I", 6), payload=q6tcp)
    v6(133, 0, "other", "router solicitation")
    v6(134, 0, "other", "router advertisement", rest=b"\x40\0\0\0", payload=b"\0" * 8)
    v6(135, 0, "other", "neighbor solicitation", payload=addr(OBS6))
    v6(136, 0, "other", "neighbor advertisement", rest=b"\x60\0\0\0", payload=addr(OBS6))
    v6(130, 0, "other", "MLD query", payload=b"\0" * 20)
    v6(143, 0, "other", "MLDv2 report", payload=b"")
    v6(100, 0, "other", "private experimentation 100")
    v6(200, 0, "other", "private experimentation 200")
    v6(5, 0, "other", "unassigned error type 5")
    m += 1
    c.add(eth6(ipv6(S6(0x400 + m), OBS6, 58, b"\x80\x00")), C(S6(0x400 + m), "icmpv6", 128, "probe"),
          "ICMPv6 with only type and code")
    m += 1
    c.add(eth6(ipv6(S6(0x400 + m), OBS6, 58, b"\x80")), M("icmpv6"), "ICMPv6 with 1 byte")
    return c


def cap_other_protocols():
    c = Capture("other-protocols",
                "IP protocols other than TCP/UDP/ICMP are proto ip, port = protocol number, kind other, even "
                "when they carry a whole TCP SYN inside (GRE, IP-in-IP, 6in4, AH).")
    a = lambda n: S4(0xE0 + n)  # noqa: E731
    inner_syn = v4tcp(T4(0xE0), OBS4, 40000, 445, SYN)
    c.add(eth4(ipv4(a(1), OBS4, 47, b"\x00\x00\x08\x00" + inner_syn)), C(a(1), "ip", 47, "other"),
          "GRE carrying an IPv4 SYN to 445", tshark="tshark decodes the inner packet; only the outer counts")
    c.add(eth4(ipv4(a(2), OBS4, 50, b"\0\0\x10\x01\0\0\0\x01" + b"E" * 32)), C(a(2), "ip", 50, "other"), "ESP")
    c.add(eth4(ipv4(a(3), OBS4, 51, bytes([6, 4, 0, 0]) + b"\0\0\x10\x02\0\0\0\x01" + b"\0" * 12 +
                    tcp(40000, 445, SYN))),
          C(a(3), "ip", 51, "other"), "AH followed by a TCP SYN",
          ambiguous="IPv4 AH is an IP protocol like any other: ip/51, not the TCP behind it",
          tshark="tshark decodes the TCP header behind AH")
    sctp_init = struct.pack("!HHII", 40000, 80, 0, 0) + bytes([1, 0]) + struct.pack("!H", 20) + b"\0" * 16
    c.add(eth4(ipv4(a(4), OBS4, 132, sctp_init)), C(a(4), "ip", 132, "other"), "SCTP INIT to port 80")
    c.add(eth4(ipv4(a(5), OBS4, 4, inner_syn)), C(a(5), "ip", 4, "other"), "IP-in-IP carrying a SYN")
    c.add(eth4(ipv4(a(6), OBS4, 41, v6tcp(S6(0xE0), OBS6, 40000, 445, SYN))), C(a(6), "ip", 41, "other"),
          "6in4 carrying an IPv6 SYN")
    c.add(eth4(ipv4(a(7), OBS4, 2, bytes([0x11, 0x64, 0xEE, 0x9B]) + b"\0\0\0\0")), C(a(7), "ip", 2, "other"),
          "IGMP query")
    c.add(eth4(ipv4(a(8), OBS4, 89, b"\x02\x01\x00\x2c" + b"\0" * 40)), C(a(8), "ip", 89, "other"), "OSPF")
    c.add(eth4(ipv4(a(9), OBS4, 0, b"\0" * 8)), C(a(9), "ip", 0, "other"), "protocol 0 in IPv4")
    c.add(eth4(ipv4(a(10), OBS4, 255, b"\0" * 8)), C(a(10), "ip", 255, "other"), "protocol 255")
    c.add(eth4(ipv4(a(11), OBS4, 136, udp(40000, 53, b"lite"))), C(a(11), "ip", 136, "other"),
          "UDP-Lite (136) is not UDP")
    c.add(eth4(ipv4(a(12), OBS4, 33, b"\x9c\x40\x00\x50" + b"\0" * 12)), C(a(12), "ip", 33, "other"), "DCCP")
    c.add(eth4(ipv4(a(13), OBS4, 58, icmp6(128, 0, *echo()))), C(a(13), "ip", 58, "other"),
          "ICMPv6 (58) inside IPv4 is not icmp")
    c.add(eth4(ipv4(a(14), OBS4, 47, b"\x00\x00\x08\x00" + inner_syn)), C(a(14), "ip", 47, "other"),
          "GRE again from another source")
    c.add(eth4(ipv4(a(1), OBS4, 47, b"\x00\x00\x08\x00" + inner_syn)), C(a(1), "ip", 47, "other"),
          "GRE again from the first source")
    b = lambda n: S6(0x500 + n)  # noqa: E731
    c.add(eth6(ipv6(b(1), OBS6, 132, sctp_init)), C(b(1), "ip", 132, "other"), "IPv6 SCTP")
    c.add(eth6(ipv6(b(2), OBS6, 50, b"\0\0\x10\x01\0\0\0\x01" + b"E" * 32)), C(b(2), "ip", 50, "other"), "IPv6 ESP")
    c.add(eth6(ipv6(b(3), OBS6, 47, b"\x00\x00\x86\xdd" + v6tcp(S6(0xE1), OBS6, 40000, 445, SYN))),
          C(b(3), "ip", 47, "other"), "IPv6 GRE carrying an IPv6 SYN")
    c.add(eth6(ipv6(b(4), OBS6, 4, inner_syn)), C(b(4), "ip", 4, "other"), "IPv4-in-IPv6")
    c.add(eth6(ipv6(b(5), OBS6, 41, v6tcp(S6(0xE2), OBS6, 40000, 445, SYN))), C(b(5), "ip", 41, "other"),
          "IPv6-in-IPv6")
    c.add(eth6(ipv6(b(6), OBS6, 89, b"\x03\x01\x00\x10" + b"\0" * 12)), C(b(6), "ip", 89, "other"), "OSPFv3")
    c.add(eth6(ipv6(b(7), OBS6, 1, icmp(8, 0, *echo()))), C(b(7), "ip", 1, "other"),
          "ICMPv4 (1) inside IPv6 is not icmp")
    return c


def cap_filtering():
    ign = ["10.0.0.0/8", "fd00::/8"]
    c = Capture("filtering",
                "What does not count: sources in ignore_sources (10.0.0.0/8, fd00::/8), packets from the "
                "observed addresses (the sensor's own replies), packets to other addresses (broadcast, "
                "multicast, neighbours); edge sources 0.0.0.0, ::, link-local.", ignore=ign)
    c.add(eth4(v4tcp("10.1.2.3", OBS4, 40000, 22, SYN)), IGN("ignore_sources"), "management 10.1.2.3")
    c.add(eth4(v4udp("10.255.255.255", OBS4, 40000, 161)), IGN("ignore_sources"), "10.255.255.255")
    c.add(eth4(v4ping("10.0.0.0", OBS4)), IGN("ignore_sources"), "10.0.0.0")
    c.add(eth4(v4tcp("11.0.0.1", OBS4, 40000, 22, SYN)), C("11.0.0.1", "tcp", 22, "probe"), "11.0.0.1 just outside")
    c.add(eth4(v4tcp("9.255.255.255", OBS4, 40000, 22, SYN)), C("9.255.255.255", "tcp", 22, "probe"),
          "9.255.255.255 just outside")
    c.add(eth6(v6tcp("fd00::1", OBS6, 40000, 22, SYN)), IGN("ignore_sources"), "fd00::1")
    c.add(eth6(v6tcp("fdff:ffff::1", OBS6, 40000, 22, SYN)), IGN("ignore_sources"), "fdff:ffff::1")
    c.add(eth6(v6tcp("fc00::1", OBS6, 40000, 22, SYN)), C("fc00::1", "tcp", 22, "probe"), "fc00::1 outside fd00::/8")
    c.add(eth6(v6icmp("fe80::1", OBS6, 135, 0, b"\0\0\0\0", addr(OBS6))), C("fe80::1", "icmpv6", 135, "other"),
          "link-local source, neighbor solicitation")
    c.add(eth4(v4tcp(S4(100), OTHER4, 40000, 445, SYN)), X(), "to 192.0.2.99")
    c.add(eth6(v6tcp(S6(0x600), OTHER6, 40000, 445, SYN)), X(), "to 2001:db8::99")
    c.add(eth4(v4tcp(S4(100), "192.0.2.11", 40000, 445, SYN)), X(), "to 192.0.2.11 (neighbour)")
    c.add(eth4(v4tcp(S4(100), "192.0.2.9", 40000, 445, SYN)), X(), "to 192.0.2.9 (neighbour)")
    c.add(eth6(v6tcp(S6(0x600), "2001:db8::11", 40000, 445, SYN)), X(), "to 2001:db8::11")
    c.add(eth4(v4udp(S4(101), "255.255.255.255", 68, 67)), X(), "to the broadcast address")
    c.add(eth4(v4udp(S4(101), "224.0.0.251", 5353, 5353)), X(), "to mDNS multicast")
    c.add(eth6(v6udp(S6(0x601), "ff02::fb", 5353, 5353)), X(), "to IPv6 mDNS multicast")
    c.add(eth4(v4tcp("10.0.0.1", OTHER4, 40000, 445, SYN)), X(), "management source to another address")
    c.add(eth4(v4tcp(OBS4, S4(100), 445, 40000, SYN | ACK)), X(),
          "the sensor's own SYN-ACK (its destination is not observed, so it never counts)")
    c.add(eth4(v4tcp(OBS4, OBS4, 40000, 445, SYN)), IGN("own_address"), "from the sensor to itself")
    c.add(eth6(v6tcp(OBS6, S6(0x600), 22, 40000, RST | ACK)), X(), "the sensor's own IPv6 RST")
    c.add(eth4(v4icmp(OBS4, S4(100), 3, 3, b"\0\0\0\0", ipv4(S4(100), OBS4, 17, udp(40000, 161, b"x"))[:28])),
          X(), "the sensor's own ICMP port unreachable")
    c.add(eth6(v6tcp(OBS6, OBS6, 40000, 22, SYN)), IGN("own_address"), "from the sensor's IPv6 address to itself")
    c.add(eth4(v4tcp(S4(100), OBS4, 40000, 445, SYN)), C(S4(100), "tcp", 445, "probe"), "control: counted SYN")
    c.add(eth4(v4tcp("0.0.0.0", OBS4, 40000, 445, SYN)), C("0.0.0.0", "tcp", 445, "probe"), "source 0.0.0.0")
    c.add(eth6(v6tcp("::", OBS6, 40000, 445, SYN)), C("::", "tcp", 445, "probe"), "source ::")
    c.add(eth4(v4tcp("192.0.2.11", OBS4, 40000, 445, SYN)), C("192.0.2.11", "tcp", 445, "probe"),
          "neighbour 192.0.2.11 is not an observed address: counted")
    return c


def cap_telescope_prefix():
    c = Capture("telescope-prefix",
                "A telescope observing prefixes 192.0.2.0/24 and 2001:db8::/64: every address in them is "
                "observed, and a packet from any of them is the sensor's own.",
                observed=["192.0.2.0/24", "2001:db8::/64"])
    for i, d in enumerate(["192.0.2.0", "192.0.2.10", "192.0.2.99", "192.0.2.255"]):
        c.add(eth4(v4tcp(S4(0xF0), d, 40000, 445, SYN)), C(S4(0xF0), "tcp", 445, "probe"), "to %s" % d)
    c.add(eth4(v4tcp(S4(0xF0), "192.0.3.0", 40000, 445, SYN)), X(), "to 192.0.3.0 (outside)")
    c.add(eth4(v4tcp(S4(0xF0), "192.0.1.255", 40000, 445, SYN)), X(), "to 192.0.1.255 (outside)")
    for d in ["2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", OBS6, OTHER6]:
        c.add(eth6(v6tcp(S6(0xF0), d, 40000, 23, SYN)), C(S6(0xF0), "tcp", 23, "probe"), "to %s" % d)
    c.add(eth6(v6tcp(S6(0xF0), "2001:db8:0:1::", 40000, 23, SYN)), X(), "to 2001:db8:0:1:: (outside)")
    c.add(eth4(v4tcp("192.0.2.50", S4(0xF1), 80, 40000, SYN | ACK)), X(),
          "from 192.0.2.50 inside the observed prefix to outside")
    c.add(eth4(v4tcp("192.0.2.50", "192.0.2.51", 40000, 80, SYN)), IGN("own_address"),
          "inside to inside")
    c.add(eth6(v6tcp("2001:db8::abcd", S6(0xF1), 80, 40000, RST)), X(),
          "from 2001:db8::abcd inside the observed prefix to outside")
    c.add(eth6(v6tcp("2001:db8::abcd", OBS6, 40000, 80, SYN)), IGN("own_address"),
          "from 2001:db8::abcd to 2001:db8::10, both inside")
    c.add(eth4(v4tcp("10.9.9.9", "192.0.2.77", 40000, 80, SYN)), IGN("ignore_sources"), "management source")
    return c


def cap_truncated():
    c = Capture("malformed-truncated",
                "Genuinely short packets (caplen == len): cut inside Ethernet, inside a VLAN tag, inside the "
                "IPv4 header and options, inside the TCP header before the flags, inside UDP, 1-byte ICMP; "
                "IP total length below the header length or beyond the frame; bad version; IHL < 5; "
                "Ethernet padding that must not be read as a transport header.")
    a = lambda n: S4(0x10 + n)  # noqa: E731
    syn = v4tcp(a(1), OBS4, 40000, 445, SYN)
    full = eth4(syn, pad=False)
    c.add(full[:10], M("link"), "10 bytes: inside the Ethernet header")
    c.add(full[:13], M("link"), "13 bytes: inside the EtherType")
    c.add(eth4(syn, vlans=[(ETH_VLAN, 100)], pad=False)[:16], M("link"), "16 bytes: inside the 802.1Q tag")
    c.add(eth4(syn, vlans=[(ETH_QINQ, 1), (ETH_VLAN, 2)], pad=False)[:20], M("link"),
          "20 bytes: inside the inner tag of QinQ")
    c.add(full[:14], M("ip-header"), "EtherType IPv4 and nothing else")
    c.add(full[:14 + 12], M("ip-header"), "12 bytes of the IPv4 header")
    opt = eth4(v4tcp(a(2), OBS4, 40000, 445, SYN, ipopts=b"\x01" * 8), pad=False)
    c.add(opt[:14 + 24], M("ip-header"), "inside the IPv4 options (IHL 7, 24 bytes present)")
    # TCP cut before the flags: IP total length consistent with what is there.
    c.add(eth4(ipv4(a(3), OBS4, 6, tcp(40000, 445, SYN)[:12]), pad=False), M("tcp"),
          "12 bytes of TCP, no padding")
    c.add(eth4(ipv4(a(4), OBS4, 6, tcp(40000, 445, SYN)[:13]), pad=False), M("tcp"),
          "13 bytes of TCP: the offset byte but not the flags")
    c.add(eth4(ipv4(a(5), OBS4, 6, tcp(40000, 445, SYN)[:14]), pad=False), C(a(5), "tcp", 445, "probe"),
          "14 bytes of TCP: through the flags byte",
          tshark="tshark 4.0 shows only the ports when fewer than 20 TCP bytes remain; the oracle reads the "
                 "flags byte from frame_raw (E4)")
    c.add(eth4(ipv4(a(6), OBS4, 6, tcp(40000, 445, SYN)[:12])), M("tcp"),
          "12 bytes of TCP then Ethernet padding: the padding is not TCP")
    c.add(eth4(ipv4(a(7), OBS4, 17, udp(40000, 53, b"x")[:6]), pad=False), M("udp"), "6 bytes of UDP")
    c.add(eth4(ipv4(a(8), OBS4, 17, udp(40000, 53, b"x")[:4])), M("udp"),
          "4 bytes of UDP (IP total length 24) then Ethernet padding")
    c.add(eth4(ipv4(a(9), OBS4, 1, b"\x08")), M("icmp"), "ICMP with 1 byte")
    c.add(eth4(ipv4(a(10), OBS4, 1, b"\x08\x00")), C(a(10), "icmp", 8, "probe"), "ICMP type and code only",
          tshark="tshark shows no icmp.type below 4 ICMP bytes; the oracle reads the type from frame_raw (E4)")
    bad = bytearray(eth4(v4tcp(a(11), OBS4, 40000, 445, SYN)))
    bad[14] = 0x55
    c.add(bytes(bad), M("ip-version"), "EtherType IPv4, version 5")
    c.add(eth(v6tcp(S6(0x700), OBS6, 40000, 445, SYN), ETH_IPV4), M("ip-version"),
          "EtherType IPv4 carrying an IPv6 header",
          ambiguous="EtherType 0x0800 promises IPv4; version 6 is malformed",
          tshark="tshark's ip dissector decodes it as IPv6")
    c.add(eth(v4tcp(a(12), OBS4, 40000, 445, SYN), ETH_IPV6), M("ip-version"),
          "EtherType IPv6 carrying an IPv4 header")
    bad = bytearray(eth4(v4tcp(a(13), OBS4, 40000, 445, SYN)))
    bad[14] = 0x44
    c.add(bytes(bad), M("ip-header"), "IHL 4")
    bad[14] = 0x40
    c.add(bytes(bad), M("ip-header"), "IHL 0")
    c.add(eth4(ipv4(a(14), OBS4, 6, tcp(40000, 445, SYN), total=0)), M("ip-length"), "total length 0")
    c.add(eth4(ipv4(a(15), OBS4, 6, tcp(40000, 445, SYN), total=19)), M("ip-length"), "total length 19")
    c.add(eth4(ipv4(a(16), OBS4, 6, tcp(40000, 445, SYN), opts=b"\x01" * 4, total=22)), M("ip-length"),
          "IHL 6 (24 bytes) but total length 22")
    c.add(eth4(ipv4(a(17), OBS4, 6, b"", total=20)), M("tcp"), "total length 20, protocol TCP, no TCP bytes")
    c.add(eth4(ipv4(a(18), OBS4, 17, udp(40000, 53, b"abcdefgh"), total=20 + 8 + 8 + 1), pad=False),
          M("ip-length") if READING["ip_length"] == "wire" else C(a(18), "udp", 53, "probe"),
          "total length 1 byte beyond the frame (not cut by the snaplen)",
          ambiguous="READING ip_length=%s: an IPv4 total length beyond the bytes on the wire %s"
                    % (READING["ip_length"], "makes the header invalid (malformed)"
                       if READING["ip_length"] == "wire" else "only bounds the payload (counted)"),
          tshark="tshark decodes the UDP header with an expert warning")
    c.add(eth6(ipv6(S6(0x701), OBS6, 6, tcp(40000, 445, SYN)[:4], plen=4)), M("tcp"),
          "IPv6 payload length 4 with a TCP header then Ethernet padding")
    c.add(eth6(v6tcp(S6(0x702), OBS6, 40000, 445, SYN), pad=False)[:14 + 39], M("ip-header"),
          "39 bytes of IPv6 header")
    c.add(eth4(v4tcp(a(19), OBS4, 40000, 445, SYN)), C(a(19), "tcp", 445, "probe"), "control: a whole SYN")
    return c


def cap_snaplen():
    c = Capture("malformed-snaplen",
                "Records cut by the snaplen (caplen < len, file snaplen 80): counted when the needed headers "
                "survive, malformed ('snaplen') when they do not.", snaplen=80)
    a = lambda n: S4(0x30 + n)  # noqa: E731
    q4 = [(ETH_QINQ, 1), (ETH_VLAN, 2), (ETH_VLAN, 3), (ETH_VLAN, 4)]
    srh = bytes([0, 0, 0, 0]) + addr(OBS6)

    def cut(frame, exp, note, **kw):
        caplen = kw.pop("caplen", 80)
        assert len(frame) > caplen, (note, len(frame))
        c.add(frame, exp, note, caplen=caplen, **kw)

    cut(eth6(ipv6_chain(S6(0x800), OBS6, [("hbh", bytes([1, 4, 0, 0, 0, 0])), ("rt", (4, 0, srh)), ("nh", 6)],
                        tcp(40000, 445, SYN, S6(0x800), OBS6)), vlans=q4),
        M("snaplen"), "4 VLAN tags + IPv6 + hop-by-hop + routing + TCP: cut inside the routing header")
    cut(eth4(v4tcp(a(1), OBS4, 40000, 445, SYN, opts=b"\x01" * 40)), C(a(1), "tcp", 445, "probe"),
        "SYN with 40 bytes of TCP options: base header complete")
    cut(eth4(v4tcp(a(2), OBS4, 40000, 445, SYN, opts=b"\x01" * 40), vlans=q4), C(a(2), "tcp", 445, "probe"),
        "4 VLAN tags + SYN with options: base header complete at 14+16+20+20=70")
    cut(eth4(ipv4(a(3), OBS4, 6, tcp(40000, 445, SYN), opts=b"\x01" * 40), vlans=q4[:1]), M("snaplen"),
        "1 tag + 40 bytes of IP options + TCP: flags at byte 91")
    cut(eth6(v6udp(S6(0x801), OBS6, 40000, 5060, b"x" * 1000)), C(S6(0x801), "udp", 5060, "probe"),
        "IPv6 UDP with 1000 bytes of payload")
    cut(eth4(v4icmp(a(4), OBS4, 8, 0, *echo(payload=b"p" * 1000))), C(a(4), "icmp", 8, "probe"), "big ping")
    cut(eth4(v4icmp(a(5), OBS4, 3, 3, b"\0\0\0\0", ipv4(OBS4, a(5), 17, udp(40000, 53, b"y" * 600)))),
        C(a(5), "icmp", 3, "backscatter"), "port unreachable quoting a big UDP datagram")
    cut(eth6(ipv6_chain(S6(0x802), OBS6, [("dst", b"\x01\x3e" + b"\0" * 62), ("nh", 6)],
                        tcp(40000, 22, SYN, S6(0x802), OBS6))), M("snaplen"),
        "IPv6 + 64-byte destination options + TCP: cut inside the options")
    syn = eth4(v4tcp(a(6), OBS4, 40000, 445, SYN, payload=b"d" * 40))
    cut(syn, M("snaplen"), "caplen 47: one byte short of the flags", caplen=47)
    cut(syn, C(a(6), "tcp", 445, "probe"), "caplen 48: through the flags", caplen=48,
        tshark="tshark 4.0 shows only the ports when fewer than 20 TCP bytes remain; the oracle reads the "
                 "flags byte from frame_raw (E4)")
    cut(syn, C(a(6), "tcp", 445, "probe"), "caplen 54: the whole base header", caplen=54)
    udp_pkt = eth4(v4udp(a(7), OBS4, 40000, 161, b"u" * 40))
    cut(udp_pkt, M("snaplen"), "caplen 41: 7 bytes of UDP", caplen=41)
    cut(udp_pkt, C(a(7), "udp", 161, "probe"), "caplen 42: the 8-byte UDP header", caplen=42)
    cut(eth4(v4ping(a(8), OBS4)), M("snaplen"), "caplen 35: 1 byte of ICMP", caplen=35)
    cut(eth4(v4ping(a(9), OBS4)), C(a(9), "icmp", 8, "probe"), "caplen 36: ICMP type and code", caplen=36)
    cut(eth4(ipv4(a(10), OBS4, 6, b"F" * 200, frag=20)), C(a(10), "ip", 6, "other"),
        "non-first fragment cut by the snaplen: the IP header is all it needs")
    cut(syn, M("snaplen"), "caplen 8 of a whole frame: inside Ethernet", caplen=8)
    cut(syn, M("snaplen"), "caplen 30: inside the IPv4 header", caplen=30)
    cut(eth6(v6tcp(S6(0x803), OBS6, 40000, 445, SYN, payload=b"z" * 40)), C(S6(0x803), "tcp", 445, "probe"),
        "IPv6 SYN with data, caplen 80 holds the TCP header")
    return c


def pppoe(payload, ppp_proto, session=0x1234):
    return struct.pack("!BBHHH", 0x11, 0x00, session, len(payload) + 2, ppp_proto) + payload


def cap_pppoe():
    c = Capture("link-pppoe",
                "PPPoE session frames (EtherType 0x8864) on Ethernet, as a sensor on a DSL line's Ethernet side "
                "sees them: PPP protocol 0x0021 is IPv4, 0x0057 IPv6, others (LCP) are not IP; discovery "
                "frames (0x8863) are not IP; a session header cut short is malformed.")
    dec = "PPPoE session frames carrying IPv4/IPv6 are IP packets (what a PPPoE-connected sensor receives)"
    c.add(eth(pppoe(v4tcp(S4(0xB0), OBS4, 40000, 445, SYN), 0x0021), 0x8864), C(S4(0xB0), "tcp", 445, "probe"),
          "PPPoE IPv4 SYN", ambiguous=dec)
    c.add(eth(pppoe(v6tcp(S6(0xB0), OBS6, 40000, 22, SYN), 0x0057), 0x8864), C(S6(0xB0), "tcp", 22, "probe"),
          "PPPoE IPv6 SYN", ambiguous=dec)
    c.add(eth(pppoe(v4udp(S4(0xB1), OBS4, 53, 40000), 0x0021), 0x8864, vlans=[(ETH_VLAN, 7)]),
          C(S4(0xB1), "udp", 53, "backscatter"), "802.1Q + PPPoE IPv4 DNS reply", ambiguous=dec)
    c.add(eth(pppoe(v4tcp(S4(0xB2), OTHER4, 40000, 445, SYN), 0x0021), 0x8864), X(), "PPPoE to another address",
          ambiguous=dec)
    c.add(eth(pppoe(b"\x01\x01\x00\x0a\x05\x06\x12\x34\x56\x78", 0xC021), 0x8864), N("0x8864"),
          "PPPoE LCP configure-request")
    c.add(eth(b"\x11\x09\x00\x00\x00\x00", 0x8863), N("0x8863"), "PPPoE discovery PADI")
    c.add(eth(pppoe(v4tcp(S4(0xB3), OBS4, 40000, 445, SYN), 0x0021), 0x8864, pad=False)[:14 + 5], M("link"),
          "PPPoE session header cut after 5 bytes")
    return c


def cap_non_ip():
    c = Capture("non-ip-frames",
                "Ethernet frames that are not IP (ARP, RARP, 802.3/LLC, SNAP, IPX, LLDP, PPPoE discovery, "
                "unknown EtherTypes): counted only as non-IP, with two IP packets as controls.")
    c.add(eth(arp_request(T4(0x50), OBS4), ETH_ARP), N("arp"), "ARP request")
    c.add(eth(arp_request(OBS4, T4(0x50)), ETH_ARP), N("arp"), "ARP from the sensor address")
    c.add(eth(arp_request(T4(0x50), OBS4), 0x8035), N("rarp"), "RARP")
    stp = b"\x42\x42\x03" + b"\0" * 35
    c.add(eth(stp, len(stp)), N("llc"), "802.3 length 38 + LLC (STP)")
    snap = b"\xaa\xaa\x03\x08\x00\x07\x80\x9b" + b"\0" * 30
    c.add(eth(snap, len(snap)), N("llc"), "802.3 + SNAP (AppleTalk)")
    c.add(eth(b"\xff\xff" + b"\0" * 28, 0x8137), N("ipx"), "IPX")
    c.add(eth(b"\x02\x07\x04" + MAC_ROUTER + b"\0" * 20, 0x88CC), N("lldp"), "LLDP")
    c.add(eth(b"\x11\x09\x00\x00\x00\x00", 0x8863), N("pppoe-discovery"), "PPPoE PADI")
    c.add(eth(b"\0" * 30, 0x1234), N("0x1234"), "unknown EtherType 0x1234")
    c.add(eth(b"\0" * 30, 0x0842), N("wol"), "wake-on-LAN")
    c.add(eth(b"\0" * 30, 0x0600), N("0x0600"), "EtherType 0x0600 (XNS)")
    c.add(eth4(v4tcp(T4(0x51), OBS4, 40000, 445, SYN)), C(T4(0x51), "tcp", 445, "probe"), "control IPv4")
    c.add(eth6(v6tcp(S6(0x900), OBS6, 40000, 445, SYN)), C(S6(0x900), "tcp", 445, "probe"), "control IPv6")
    return c


def cap_sources():
    c = Capture("sources-canonical",
                "Source counting and canonical source text: 60 IPv4 sources scanning 445/tcp with repeats, and "
                "IPv6 sources whose RFC 5952 text differs from a naive rendering (zero runs, ties, "
                "IPv4-mapped, IPv4-compatible, trailing zeros).")
    for i in range(60):
        src = S4(1 + i) if i < 30 else T4(1 + i)
        for k in range(1 + i % 3):
            c.add(eth4(v4tcp(src, OBS4, 40000 + k, 445, SYN)), C(src, "tcp", 445, "probe"), "scan")
        if i % 4 == 0:
            c.add(eth4(v4tcp(src, OBS4, 40000, 1433, SYN)), C(src, "tcp", 1433, "probe"), "scan 1433")
    forms = [
        ("2001:db8:ffff::1", "simple"),
        ("2001:db8:ffff:0:0:1:0:1", "run of two zero groups"),
        ("2001:db8:ffff:1:0:0:1:1", "run in the middle"),
        ("2001:db8:ffff:0:1:0:0:1", "longest run wins"),
        ("2001:db8:ffff:0:0:1:0:0", "tie: first run compressed"),
        ("2001:db8:ffff:0:1:2:3:4", "a single zero group is not compressed"),
        ("2001:db8:ffff:ab:cd:ef:0:0", "trailing run"),
        ("2001:db8:ffff::", "ends in zeros"),
        ("2001:db8:ffff:0:0:0:0:0", "same address as above, other spelling"),
        ("::ffff:198.51.100.77", "IPv4-mapped: dotted quad"),
        ("::198.51.100.78", "IPv4-compatible (deprecated): hex groups"),
        ("fe80::1:2", "link-local"),
        ("2001:db8:ffff:abcd:ef01:2345:6789:abcd", "no zeros"),
    ]
    for text, note in forms:
        c.add(eth6(v6tcp(text, OBS6, 40000, 22, SYN)), C(text, "tcp", 22, "probe"),
              "%s -> %s (%s)" % (text, canonical(text), note))
    return c


def cap_pcapng_2if():
    c = Capture("pcapng-2if-us-ns",
                "pcapng, two Ethernet interfaces: one with the default microsecond resolution, one with "
                "if_tsresol 9 (nanoseconds); packets around JST midnight on both; a Name Resolution Block, "
                "an Interface Statistics Block and a custom block to skip; an EPB marked outbound.",
                fmt="pcapng",
                interfaces=[{"linktype": LINKTYPE_ETHERNET, "tsresol": None, "name": "eth0"},
                            {"linktype": LINKTYPE_ETHERNET, "tsresol": 9, "name": "eth1"}])
    m1 = ns_at(TOKYO, 2024, 7, 10)
    a, b = S4(0xA0), S6(0xA0)
    c.add(eth4(v4tcp(a, OBS4, 40000, 445, SYN)), C(a, "tcp", 445, "probe"), "if 0: 23:59:59.999999",
          ts=m1 - US, iface=0)
    c.add(eth4(v4tcp(a, OBS4, 40000, 445, SYN)), C(a, "tcp", 445, "probe"), "if 1: 23:59:59.999999999",
          ts=m1 - 1, iface=1)
    c.add(eth4(v4tcp(a, OBS4, 40000, 445, SYN)), C(a, "tcp", 445, "probe"), "if 1: 00:00:00.000000000",
          ts=m1, iface=1)
    c.add(eth4(v4tcp(a, OBS4, 40000, 445, SYN)), C(a, "tcp", 445, "probe"), "if 0: 00:00:00.000001",
          ts=m1 + US, iface=0)
    c.add(eth6(v6udp(b, OBS6, 40000, 53)), C(b, "udp", 53, "probe"), "if 0: IPv6", ts=m1 + SEC, iface=0)
    c.add(eth6(v6udp(b, OBS6, 40000, 53)), C(b, "udp", 53, "probe"), "if 1: IPv6", ts=m1 + SEC + 1, iface=1)
    c.add(eth4(v4tcp(T4(0xA0), OBS4, 40000, 8080, SYN)), C(T4(0xA0), "tcp", 8080, "probe"),
          "if 1: EPB flags say outbound; only cooked captures' direction counts",
          ts=m1 + 2 * SEC, iface=1, epb_flags=2,
          ambiguous="The counting rules exclude frames a *cooked capture* marks outgoing; libpcap does not pass pcapng "
                    "epb_flags on, so an outbound EPB is counted",
          tshark="tshark shows frame.packet_flags_direction; the oracle ignores it")
    c.add(eth4(v4ping(T4(0xA1), OBS4)), C(T4(0xA1), "icmp", 8, "probe"), "if 0 after the extra blocks",
          ts=m1 + 3 * SEC, iface=0)
    o = c.order
    nrb = struct.pack(o + "HH", 1, 4 + len(b"sensor.example\0")) + addr(OBS4) + b"sensor.example\0"
    nrb += b"\0" * ((-len(nrb)) % 4) + struct.pack(o + "HH", 0, 0)
    isb = struct.pack(o + "IIII", 0, 0, 0, 0) + struct.pack(o + "HH", 0, 0)
    custom = struct.pack(o + "I", 32473) + b"teiten custom block, skip me"
    c.extra_blocks = [(2, c.pcapng_block(4, nrb)), (7, c.pcapng_block(5, isb)), (7, c.pcapng_block(0x00000BAD, custom))]
    return c


def cap_pcapng_binary():
    c = Capture("pcapng-be-binary-tsresol",
                "Big-endian pcapng, two Ethernet interfaces with if_tsresol 2^-10 and 10^-3: timestamps around "
                "JST midnight that only those resolutions can express.",
                fmt="pcapng", order=">",
                interfaces=[{"linktype": LINKTYPE_ETHERNET, "tsresol": 0x8A, "name": "bin0"},
                            {"linktype": LINKTYPE_ETHERNET, "tsresol": 3, "name": "ms1"}])
    m1 = ns_at(TOKYO, 2024, 7, 10)
    # 1023/1024 s = 0.9990234375 s exactly
    a = S4(0xA8)
    c.add(eth4(v4tcp(a, OBS4, 40000, 22, SYN)), C(a, "tcp", 22, "probe"), "2^-10: 23:59:59.9990234375 day 1",
          ts=Fraction(m1, SEC) - Fraction(1, 1024), iface=0)
    c.add(eth4(v4tcp(a, OBS4, 40000, 22, SYN)), C(a, "tcp", 22, "probe"), "2^-10: 00:00:00 day 2",
          ts=m1, iface=0)
    c.add(eth4(v4tcp(a, OBS4, 40000, 22, SYN)), C(a, "tcp", 22, "probe"), "2^-10: 00:00:00.0009765625 day 2",
          ts=Fraction(m1, SEC) + Fraction(1, 1024), iface=0)
    c.add(eth4(v4tcp(a, OBS4, 40000, 22, SYN)), C(a, "tcp", 22, "probe"), "ms: 23:59:59.999 day 1",
          ts=m1 - MS, iface=1)
    c.add(eth4(v4tcp(a, OBS4, 40000, 22, SYN)), C(a, "tcp", 22, "probe"), "ms: 00:00:00.001 day 2",
          ts=m1 + MS, iface=1)
    return c


CAPTURES = [
    cap_day_boundary_jst, cap_day_boundary_jst_nsec, cap_day_boundary_dst, cap_time_order,
    cap_link_ethernet_vlan, cap_link_sll, cap_link_sll2, cap_link_raw, cap_link_ipv4, cap_link_ipv6,
    lambda: cap_link_null("<", "link-null-le"), lambda: cap_link_null(">", "link-null-be"), cap_link_loop,
    cap_ipv4_options_fragments, cap_ipv6_ext, cap_tcp_flags, cap_udp, cap_icmp, cap_other_protocols,
    cap_filtering, cap_telescope_prefix, cap_truncated, cap_snaplen, cap_non_ip, cap_pppoe, cap_sources,
    cap_pcapng_2if, cap_pcapng_binary,
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(here), "generated"))
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the committed files differ from what would be written")
    ap.add_argument("--reading", action="append", default=[], metavar="KEY=VALUE",
                    help="override a READING (e.g. tcp_offset=ignore) to see the other expectation; "
                         "the committed files use the defaults")
    args = ap.parse_args()
    for kv in args.reading:
        k, _, v = kv.partition("=")
        if k not in READING:
            ap.error("unknown reading %s" % k)
        READING[k] = v
    os.makedirs(args.out, exist_ok=True)
    stale = []
    names = set()
    for make in CAPTURES:
        c = make()
        assert c.name not in names, c.name
        names.add(c.name)
        data = c.pcapng_bytes() if c.fmt == "pcapng" else c.pcap_bytes()
        exp = (json.dumps(c.expectation(), indent=1, ensure_ascii=False) + "\n").encode()
        for fname, content in ((c.file_name(), data), (c.name + ".expect.json", exp)):
            path = os.path.join(args.out, fname)
            if args.check:
                try:
                    with open(path, "rb") as f:
                        if f.read() != content:
                            stale.append(fname)
                except FileNotFoundError:
                    stale.append(fname)
            else:
                with open(path, "wb") as f:
                    f.write(content)
        if not args.check:
            print("%-28s %4d packets, %3d rows" % (c.file_name(), len(c.packets),
                                                    len(c.expectation()["rows"])))
    if args.check:
        if stale:
            print("stale generated files: " + ", ".join(stale))
            return 1
        print("generated captures are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
