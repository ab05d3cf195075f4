#!/usr/bin/env python3
"""config/ports.yaml: valid YAML with one well-formed entry per port type.

Loads the file with PyYAML when it is installed, else with a small parser of
the block layout the file uses (so that the structure is still checked on a
machine without python3-yaml). Checks that every entry has proto, port,
service, ja and en and nothing else; that (proto, port) is unique and in
range; that ja is Japanese and en is not; and that the ten top ports of the
reference report (TALOT2, July 2010) and the other common darknet ports are
covered.

usage: ports_yaml.py PORTS_YAML
"""
import re
import sys

REFERENCE_TOP_TEN = [("tcp", 445), ("tcp", 1433), ("tcp", 135), ("icmp", 8), ("tcp", 139),
                     ("tcp", 22), ("tcp", 23), ("tcp", 9415), ("udp", 5060), ("udp", 27649)]
COMMON = [("tcp", p) for p in (80, 8080, 3389, 25, 5900, 3306, 4899, 6379, 9200, 2323, 7547,
                               37215, 52869, 5555, 8291)] + \
         [("udp", p) for p in (53, 123, 161, 1900, 11211)]
KEYS = {"proto", "port", "service", "ja", "en"}
PORT_RANGE = {"tcp": 65535, "udp": 65535, "icmp": 255, "icmpv6": 255, "ip": 255}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if value.isdigit():
        return int(value)
    return value


def simple_load(text):
    """The subset of YAML ports.yaml is written in: a top-level `ports:` list
    of block mappings with scalar values, comments and blank lines."""
    entries, current, in_ports = [], None, False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if line == "ports:":
            in_ports = True
            continue
        m = re.fullmatch(r"  - (\w+): (.+)", line) or re.fullmatch(r"    (\w+): (.+)", line)
        if not in_ports or not m:
            raise ValueError(f"line {number}: unexpected: {raw!r}")
        if line.startswith("  - "):
            current = {}
            entries.append(current)
        if m.group(1) in current:
            raise ValueError(f"line {number}: duplicate key {m.group(1)}")
        current[m.group(1)] = unquote(m.group(2))
    return {"ports": entries}


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        import yaml
        data = yaml.safe_load(text)
        loader = "PyYAML"
    except ImportError:
        data = simple_load(text)
        loader = "the fallback parser"
    errors = []
    if not isinstance(data, dict) or set(data) != {"ports"} or not isinstance(data["ports"], list):
        print(f"FAIL: {path}: the document must be a mapping with one key, ports, a list")
        return 1
    seen = {}
    for i, entry in enumerate(data["ports"]):
        where = f"entry {i + 1}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: not a mapping")
            continue
        where = f"entry {i + 1} ({entry.get('port')}/{entry.get('proto')})"
        if set(entry) != KEYS:
            errors.append(f"{where}: keys {sorted(entry)}, expected {sorted(KEYS)}")
        proto, port = entry.get("proto"), entry.get("port")
        if proto not in PORT_RANGE:
            errors.append(f"{where}: proto must be one of {sorted(PORT_RANGE)}")
        elif not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= PORT_RANGE[proto]:
            errors.append(f"{where}: port must be an integer 0..{PORT_RANGE[proto]}")
        if (proto, port) in seen:
            errors.append(f"{where}: duplicate of entry {seen[(proto, port)] + 1}")
        seen[(proto, port)] = i
        for key in ("service", "ja", "en"):
            if not isinstance(entry.get(key), str) or not entry.get(key, "").strip():
                errors.append(f"{where}: {key} must be a non-empty string")
        if isinstance(entry.get("ja"), str) and not JAPANESE.search(entry["ja"]):
            errors.append(f"{where}: ja has no Japanese text")
        if isinstance(entry.get("en"), str) and JAPANESE.search(entry["en"]):
            errors.append(f"{where}: en contains Japanese text")
        for key in ("ja", "en"):
            if isinstance(entry.get(key), str) and len(entry[key]) > 400:
                errors.append(f"{where}: {key} is longer than a short commentary (400 characters)")
    for proto, port in REFERENCE_TOP_TEN + COMMON:
        if (proto, port) not in seen:
            errors.append(f"no entry for {port}/{proto}")
    for e in errors:
        print(f"FAIL: {path}: {e}")
    if not errors:
        print(f"{path}: {len(data['ports'])} ports, loaded with {loader}, all well-formed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
