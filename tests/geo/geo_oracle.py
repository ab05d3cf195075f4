#!/usr/bin/python3
"""Independent answers for tests/geo, computed without teiten::geo.

Lookups and networks come from Debian's python3-location (libloc's own Python
binding), country names from Python's gettext and json modules reading the
iso-codes files, special addresses from Python's ipaddress module. The rules
applied on top are the ones docs/report.md states, written again here.

  geo_oracle.py lookup DB ISO_JSON < addresses
      one line per address: address, raw country, expected country (the
      raw code when iso-codes lists it, else ZZ), ASN (0: none), AS name,
      and 1 when Python's ipaddress calls the address non-global, tab-separated
  geo_oracle.py networks DB CC
      libloc's flattened networks of CC, merged into ranges: "v4|v6 first last"
      lines, IPv4 first
  geo_oracle.py created DB
      the database's build date, YYYY-MM-DD (UTC)
  geo_oracle.py names ISO_JSON JA_MO
      every code with its English and Japanese name, tab-separated

Exits 3 when python3-location is missing (only the lookup, networks and
created commands need it).
"""
import gettext
import ipaddress
import json
import sys
import time


def open_db(path):
    try:
        import location
    except ImportError:
        print("geo_oracle.py: python3-location is not installed", file=sys.stderr)
        sys.exit(3)
    return location.Database(path)


def iso_codes(json_path):
    with open(json_path, encoding="utf-8") as f:
        return {c["alpha_2"] for c in json.load(f)["3166-1"]}


def non_global(address):
    a = ipaddress.ip_address(address)
    # Python 3.11 counts 100.64.0.0/10 as neither private nor global.
    return not a.is_global or a.is_private or a.is_multicast or a.is_reserved


def lookup(db_path, json_path):
    db, codes = open_db(db_path), iso_codes(json_path)
    for line in sys.stdin:
        address = line.strip()
        if not address:
            continue
        network = db.lookup(address)
        raw, asn, name = "", 0, ""
        if network:
            raw, asn = network.country_code or "", network.asn or 0
            if asn:
                system = db.get_as(asn)
                name = (system.name or "") if system else ""
        expected = raw if raw in codes else "ZZ"
        print(f"{address}\t{raw}\t{expected}\t{asn}\t{name}\t{int(non_global(address))}")


def networks(db_path, country):
    db = open_db(db_path)
    ranges = {4: [], 6: []}  # one enumeration for both families: libloc's flattening is slow
    for n in db.search_networks(country_codes=[country], flatten=True):
        first = ipaddress.ip_address(n.first_address)
        last = int(ipaddress.ip_address(n.last_address))
        family = ranges[first.version]
        first = int(first)
        if family and first <= family[-1][1]:
            sys.exit(f"geo_oracle.py: libloc's flattened networks overlap or are out of order at {n}")
        if family and family[-1][1] + 1 == first:
            family[-1][1] = last
        else:
            family.append([first, last])
    for version, cls in ((4, ipaddress.IPv4Address), (6, ipaddress.IPv6Address)):
        for first, last in ranges[version]:
            print(f"v{version}", cls(first), cls(last))


def created(db_path):
    db = open_db(db_path)
    print(time.strftime("%Y-%m-%d", time.gmtime(db.created_at)))


def names(json_path, mo_path):
    with open(mo_path, "rb") as f:
        ja = gettext.GNUTranslations(f)
    with open(json_path, encoding="utf-8") as f:
        countries = json.load(f)["3166-1"]

    def translated(msgid):
        if not msgid:
            return None
        text = ja.gettext(msgid)
        return text if text != msgid else None

    for c in countries:
        common = c.get("common_name")
        en = common or c["name"]
        jp = translated(common) or translated(c["name"]) or en
        print(f"{c['alpha_2']}\t{en}\t{jp}")


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {"lookup": lookup, "networks": networks, "created": created, "names": names}[command](*args)


if __name__ == "__main__":
    main()
