#include "tests/synth/synth_test_support.h"

#include <pcap/pcap.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/base/day_clock.h"
#include "common/base/ip_address.h"

namespace teiten::synth::test {
namespace {

uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

struct Packet {
  base::IpAddress src, dst;
  std::string proto, kind, cls;
  uint32_t port = 0;
};

bool any_contains(const std::vector<base::Prefix>& nets, const base::IpAddress& a) {
  for (const auto& n : nets)
    if (n.contains(a)) return true;
  return false;
}

bool reflection(uint16_t port) {
  for (uint16_t p : {19, 53, 123, 161, 389, 1900, 3702, 5353, 11211})
    if (p == port) return true;
  return false;
}

// Classifies the transport at l4 (len bytes) by docs/counting.md.
bool classify(Packet& p, uint8_t protocol, bool v6, const uint8_t* l4, size_t len) {
  if (protocol == 6) {
    if (len < 14 || (l4[12] >> 4) < 5) return false;  // through the flags, a valid offset
    const uint8_t f = l4[13];
    const bool syn = f & 0x02, ack = f & 0x10, rst = f & 0x04;
    p.proto = "tcp";
    if (syn && !ack && !rst)
      p.kind = "probe", p.port = be16(l4 + 2), p.cls = v6 ? "syn6" : "syn4";
    else if ((syn && ack) || rst)
      p.kind = "backscatter", p.port = be16(l4), p.cls = rst ? "rst" : "synack";
    else
      p.kind = "other", p.port = be16(l4 + 2), p.cls = "ack";
    return true;
  }
  if (protocol == 17) {
    if (len < 8) return false;
    p.proto = "udp";
    p.cls = "udp";
    const uint16_t sport = be16(l4), dport = be16(l4 + 2);
    if (reflection(sport) && dport >= 1024)
      p.kind = "backscatter", p.port = sport;
    else
      p.kind = "probe", p.port = dport;
    return true;
  }
  if ((protocol == 1 && !v6) || (protocol == 58 && v6)) {
    if (len < 2) return false;
    const uint8_t t = l4[0];
    p.proto = v6 ? "icmpv6" : "icmp";
    p.port = t;
    p.cls = (t == 8 || t == 128) ? "echo" : "icmp";
    if (!v6) {
      if (t == 8 || t == 13 || t == 15 || t == 17)
        p.kind = "probe";
      else if (t == 0 || t == 3 || t == 4 || t == 5 || t == 11 || t == 12 || t == 14 || t == 16 ||
               t == 18)
        p.kind = "backscatter";
      else
        p.kind = "other";
    } else {
      p.kind = t == 128 ? "probe" : ((t >= 1 && t <= 4) || t == 129) ? "backscatter" : "other";
    }
    return true;
  }
  p.proto = "ip", p.port = protocol, p.kind = "other", p.cls = "ip";
  return true;
}

// Decodes an IP packet at f[at..n); false when it cannot be decoded.
bool decode_ip(const uint8_t* f, size_t n, size_t at, uint16_t type, Packet& p) {
  if (type == 0x0800) {
    if (n < at + 20 || (f[at] >> 4) != 4) return false;
    const size_t ihl = (f[at] & 0x0f) * 4u, total = be16(f + at + 2);
    if (ihl < 20 || total < ihl || n < at + total) return false;
    p.src = base::IpAddress::from_bytes(base::Family::v4, f + at + 12);
    p.dst = base::IpAddress::from_bytes(base::Family::v4, f + at + 16);
    const uint8_t protocol = f[at + 9];
    if ((be16(f + at + 6) & 0x1fff) != 0) {
      p.proto = "ip", p.port = protocol, p.kind = "other", p.cls = "fragment";
      return true;
    }
    return classify(p, protocol, false, f + at + ihl, total - ihl);
  }
  if (type == 0x86dd) {
    if (n < at + 40 || (f[at] >> 4) != 6) return false;
    p.src = base::IpAddress::from_bytes(base::Family::v6, f + at + 8);
    p.dst = base::IpAddress::from_bytes(base::Family::v6, f + at + 24);
    size_t end = at + 40 + be16(f + at + 4);
    if (n < end) return false;
    uint8_t next = f[at + 6];
    size_t h = at + 40;
    for (;;) {
      if (next == 0 || next == 43 || next == 60) {
        if (end < h + 8) return false;
        const size_t len = (f[h + 1] + 1u) * 8;
        next = f[h];
        h += len;
      } else if (next == 44) {
        if (end < h + 8) return false;
        const bool later = (be16(f + h + 2) >> 3) != 0;
        next = f[h];
        h += 8;
        if (later) {
          p.proto = "ip", p.port = next, p.kind = "other", p.cls = "fragment";
          return true;
        }
      } else {
        break;
      }
    }
    if (end < h) return false;
    return classify(p, next, true, f + h, end - h);
  }
  p.proto.clear();  // not IP
  return true;
}

// Returns false when the frame cannot be decoded; p.proto stays empty for
// non-IP frames, and outgoing is set for frames a cooked capture marks so.
bool decode(int link, const uint8_t* f, size_t n, Packet& p, Recount& r, bool& outgoing) {
  outgoing = false;
  switch (link) {
    case 1: {  // Ethernet, any number of 802.1Q / 802.1ad tags
      if (n < 14) return false;
      size_t at = 12;
      uint16_t type = be16(f + at);
      int tags = 0;
      while (type == 0x8100 || type == 0x88a8) {
        if (n < at + 6) return false;
        at += 4;
        ++tags;
        type = be16(f + at);
      }
      if (tags == 1) ++r.vlan_single;
      if (tags == 2) ++r.vlan_double;
      return decode_ip(f, n, at + 2, type, p);
    }
    case 113:  // Linux cooked v1: packet type first, protocol last of 16 bytes
      if (n < 16) return false;
      outgoing = be16(f) == 4;
      return decode_ip(f, n, 16, be16(f + 14), p);
    case 276:  // Linux cooked v2: protocol first, packet type at byte 10 of 20
      if (n < 20) return false;
      outgoing = f[10] == 4;
      return decode_ip(f, n, 20, be16(f), p);
    case 12:
    case 101:  // raw IP: the version tells
      if (n < 1) return false;
      return decode_ip(f, n, 0, (f[0] >> 4) == 6 ? 0x86dd : 0x0800, p);
    case 228:
      return decode_ip(f, n, 0, 0x0800, p);
    case 229:
      return decode_ip(f, n, 0, 0x86dd, p);
    case 0:     // BSD loopback, family in the writer's byte order (little-endian here)
    case 108: {  // OpenBSD loopback, network order
      if (n < 4) return false;
      const uint32_t family = link == 0 ? (f[0] | f[1] << 8 | f[2] << 16 | uint32_t{f[3]} << 24)
                                        : (uint32_t{f[0]} << 24 | f[1] << 16 | f[2] << 8 | f[3]);
      if (family == 2) return decode_ip(f, n, 4, 0x0800, p);
      if (family == 24 || family == 28 || family == 30) return decode_ip(f, n, 4, 0x86dd, p);
      p.proto.clear();
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

Recount recount(const std::string& path, const View& view, const std::string& zone) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pc = pcap_open_offline(path.c_str(), err);
  if (!pc) throw std::runtime_error(std::string("pcap_open_offline: ") + err);
  Recount r;
  r.datalink = pcap_datalink(pc);
  base::DayClock clock(zone);
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  int64_t previous = INT64_MIN;
  while (pcap_next_ex(pc, &h, &data) == 1) {
    ++r.packets;
    const int64_t sec = h->ts.tv_sec, us = sec * 1'000'000 + h->ts.tv_usec;
    if (us < previous) ++r.out_of_order;
    previous = us;
    r.times_us.push_back(us);
    if (r.packets == 1) r.first_sec = sec;
    r.last_sec = sec;
    if (h->caplen == 60) ++r.frames_60;
    if (h->caplen == 74) ++r.frames_74;
    Packet p;
    bool outgoing = false;
    if (!decode(r.datalink, data, h->caplen, p, r, outgoing)) {
      ++r.undecodable;
      continue;
    }
    if (outgoing) {
      ++r.outgoing;
      continue;
    }
    if (p.proto.empty()) {
      ++r.non_ip;
      continue;
    }
    ++r.classes[p.cls];
    // The sensor's order: its own packets, then other destinations, then ignored sources.
    if (any_contains(view.observed, p.src)) {
      ++r.own;
      continue;
    }
    if (!view.observed.empty() && !any_contains(view.observed, p.dst)) {
      ++r.other_destination;
      continue;
    }
    if (any_contains(view.ignore_sources, p.src)) {
      ++r.ignored;
      continue;
    }
    ++r.counted;
    RowKey key{base::format_day(clock.day_of(sec)), p.proto, p.port, p.src.to_string(), p.kind};
    auto [it, fresh] = r.rows.try_emplace(key, RowValue{0, sec, sec});
    RowValue& v = it->second;
    ++v.accesses;
    v.first = std::min(v.first, sec);
    v.last = std::max(v.last, sec);
    (void)fresh;
  }
  pcap_close(pc);
  return r;
}

Rows read_truth_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  std::getline(in, line);
  if (line != "day,proto,port,src,kind,accesses,first_seen,last_seen")
    throw std::runtime_error("bad truth header: " + line);
  Rows rows;
  while (std::getline(in, line)) {
    std::array<std::string, 8> f;
    std::stringstream ss(line);
    for (auto& field : f) std::getline(ss, field, ',');
    RowKey key{f[0], f[1], static_cast<uint32_t>(std::stoul(f[2])), f[3], f[4]};
    if (!rows.emplace(key, RowValue{std::stoull(f[5]), std::stoll(f[6]), std::stoll(f[7])}).second)
      throw std::runtime_error("duplicate truth row: " + line);
  }
  return rows;
}

std::pair<int, std::string> run(const std::string& command) {
  std::FILE* p = popen(command.c_str(), "r");
  if (!p) return {-1, {}};
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string describe_difference(const Rows& expected, const Rows& actual) {
  std::ostringstream out;
  int shown = 0;
  auto show = [&](const char* what, const RowKey& k, const RowValue* v) {
    if (shown++ >= 10) return;
    out << what << ' ' << std::get<0>(k) << ',' << std::get<1>(k) << ',' << std::get<2>(k) << ','
        << std::get<3>(k) << ',' << std::get<4>(k);
    if (v) out << " accesses=" << v->accesses << " first=" << v->first << " last=" << v->last;
    out << '\n';
  };
  for (const auto& [k, v] : expected) {
    auto it = actual.find(k);
    if (it == actual.end())
      show("missing", k, &v);
    else if (!(it->second == v))
      show("differs", k, &it->second);
  }
  for (const auto& [k, v] : actual)
    if (!expected.count(k)) show("extra", k, &v);
  out << "expected " << expected.size() << " rows, got " << actual.size();
  return out.str();
}

}  // namespace teiten::synth::test
