#include "daemon/synth/ground_truth.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>

#include "daemon/synth/rng.h"

namespace teiten::synth {
namespace {

constexpr int kDayShift = 48, kProtoShift = 45, kPortShift = 29, kSourceShift = 2;
constexpr uint64_t kSourceLimit = 1ull << 27;

uint64_t make_key(int32_t day, Classification c, uint32_t source) {
  return static_cast<uint64_t>(day) << kDayShift | static_cast<uint64_t>(c.proto) << kProtoShift |
         static_cast<uint64_t>(c.port) << kPortShift |
         static_cast<uint64_t>(source) << kSourceShift | static_cast<uint64_t>(c.kind);
}
int32_t key_day(uint64_t k) {
  return static_cast<int32_t>(k >> kDayShift);
}
Proto key_proto(uint64_t k) {
  return static_cast<Proto>(k >> kProtoShift & 7);
}
uint16_t key_port(uint64_t k) {
  return static_cast<uint16_t>(k >> kPortShift);
}
uint32_t key_source(uint64_t k) {
  return static_cast<uint32_t>(k >> kSourceShift & (kSourceLimit - 1));
}
Kind key_kind(uint64_t k) {
  return static_cast<Kind>(k & 3);
}
uint64_t with_source(uint64_t k, uint32_t s) {
  return (k & ~((kSourceLimit - 1) << kSourceShift)) | static_cast<uint64_t>(s) << kSourceShift;
}

// Sources order IPv4 first, then by value: as integers, not memcmp, since
// a small-sensor bench sorts a million of them.
struct SortKey {
  bool v6;
  uint64_t hi, lo;
  uint32_t id;
  auto operator<=>(const SortKey&) const = default;
};
SortKey sort_key(const base::IpAddress& a, uint32_t id) {
  uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 8; ++i) hi = hi << 8 | a.bytes[i];
  for (int i = 8; i < 16; ++i) lo = lo << 8 | a.bytes[i];
  return {!a.is_v4(), hi, lo, id};
}

}  // namespace

std::string_view proto_name(Proto p) {
  static constexpr std::string_view names[] = {"tcp", "udp", "icmp", "icmpv6", "ip"};
  return names[static_cast<size_t>(p)];
}

std::string_view kind_name(Kind k) {
  static constexpr std::string_view names[] = {"probe", "backscatter", "other"};
  return names[static_cast<size_t>(k)];
}

bool is_reflection_port(uint16_t port) {
  switch (port) {
    case 19:
    case 53:
    case 123:
    case 161:
    case 389:
    case 1900:
    case 3702:
    case 5353:
    case 11211:
      return true;
    default:
      return false;
  }
}

Classification classify(const PacketSpec& s) {
  // Non-first fragments carry no transport header: proto ip, the protocol number.
  if (s.fragment_offset > 0) return {Proto::ip, ip_protocol_of(s), Kind::other};
  switch (s.transport) {
    case Transport::tcp: {
      const bool syn = s.tcp_flags & tcp_flag::syn, ack = s.tcp_flags & tcp_flag::ack,
                 rst = s.tcp_flags & tcp_flag::rst;
      if (syn && !ack && !rst) return {Proto::tcp, s.dport, Kind::probe};
      if ((syn && ack) || rst) return {Proto::tcp, s.sport, Kind::backscatter};
      return {Proto::tcp, s.dport, Kind::other};
    }
    case Transport::udp:
      if (is_reflection_port(s.sport) && s.dport >= 1024)
        return {Proto::udp, s.sport, Kind::backscatter};
      return {Proto::udp, s.dport, Kind::probe};
    case Transport::icmp:
      switch (s.icmp_type) {
        case 8:
        case 13:
        case 15:
        case 17:
          return {Proto::icmp, s.icmp_type, Kind::probe};
        case 0:
        case 3:
        case 4:
        case 5:
        case 11:
        case 12:
        case 14:
        case 16:
        case 18:
          return {Proto::icmp, s.icmp_type, Kind::backscatter};
        default:
          return {Proto::icmp, s.icmp_type, Kind::other};
      }
    case Transport::icmpv6:
      if (s.icmp_type == 128) return {Proto::icmpv6, 128, Kind::probe};
      if ((s.icmp_type >= 1 && s.icmp_type <= 4) || s.icmp_type == 129)
        return {Proto::icmpv6, s.icmp_type, Kind::backscatter};
      return {Proto::icmpv6, s.icmp_type, Kind::other};
    case Transport::raw:
    case Transport::arp:
      break;
  }
  return {Proto::ip, s.ip_protocol, Kind::other};
}

bool Net::contains(const base::IpAddress& a) const {
  if (a.family != address.family) return false;
  const unsigned full = length / 8, rest = length % 8;
  if (std::memcmp(a.bytes.data(), address.bytes.data(), full) != 0) return false;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (address.bytes[full] & mask);
}

std::string Net::to_string() const {
  const unsigned host = address.is_v4() ? 32 : 128;
  return length == host ? address.to_string() : address.to_string() + "/" + std::to_string(length);
}

GroundTruth::GroundTruth(SensorView view, const std::string& zone)
    : view_(std::move(view)), calendar_(zone) {}

bool GroundTruth::observed(const base::IpAddress& a) const {
  return std::any_of(view_.observed.begin(), view_.observed.end(),
                     [&](const Net& n) { return n.contains(a); });
}

Verdict GroundTruth::filter(const PacketSpec& s) const {
  if (!view_.observed.empty() && observed(s.src)) return Verdict::own_address;
  if (!view_.observed.empty() && !observed(s.dst)) return Verdict::other_destination;
  if (std::any_of(view_.ignore_sources.begin(), view_.ignore_sources.end(),
                  [&](const Net& n) { return n.contains(s.src); }))
    return Verdict::ignored_source;
  return Verdict::counted;
}

Verdict GroundTruth::add(const PacketSpec& s) {
  if (finished_) throw std::logic_error("GroundTruth::add after finish");
  ++packets_;
  Verdict v = Verdict::counted;
  if (s.transport == Transport::arp) {
    v = Verdict::non_ip;
  } else if (s.direction == Direction::outgoing) {
    v = Verdict::outgoing;
  } else {
    v = filter(s);
    // A packet to someone else is not the sensor's to call malformed; one
    // whose IPv4 header is broken has no addresses to judge by.
    if (s.defect != Defect::none && (v == Verdict::counted || s.defect == Defect::ipv4_ihl)) {
      v = Verdict::malformed;
      ++defects_[static_cast<size_t>(s.defect)];
    }
  }
  ++verdicts_[static_cast<size_t>(v)];
  const int32_t day = calendar_.day_of(s.sec);
  if (day != today_day_) {
    auto [it, fresh] = days_.try_emplace(day);
    if (fresh) it->second.first = it->second.last = s.sec;
    today_ = &it->second;
    today_day_ = day;
  }
  DayCounts& counts = *today_;
  ++counts.packets;
  counts.first = std::min(counts.first, s.sec);
  counts.last = std::max(counts.last, s.sec);
  ++counts.verdicts[static_cast<size_t>(v)];
  if (v == Verdict::malformed) ++counts.defects[static_cast<size_t>(s.defect)];
  if (v != Verdict::counted) return v;

  if (day < 0 || day >= (1 << 16))
    throw std::runtime_error("ground truth: packet day outside 1970..2149");
  const uint32_t source = source_ids_.intern(s.src);
  if (source >= kSourceLimit) throw std::runtime_error("ground truth: more than 2^27 sources");
  Row& r = row(make_key(day, classify(s), source));
  r.first = r.accesses == 0 ? s.sec : std::min(r.first, s.sec);
  r.last = r.accesses == 0 ? s.sec : std::max(r.last, s.sec);
  ++r.accesses;
  return v;
}

GroundTruth::Row& GroundTruth::row(uint64_t key) {
  // Linear probing below 3/4 load; a slot with no accesses is empty.
  if ((table_rows_ + 1) * 4 > table_.size() * 3) {
    std::vector<Row> old(table_.empty() ? 4096 : table_.size() * 2);
    old.swap(table_);
    for (const Row& e : old) {
      if (e.accesses == 0) continue;
      size_t i = mix64(e.key) & (table_.size() - 1);
      while (table_[i].accesses != 0) i = (i + 1) & (table_.size() - 1);
      table_[i] = e;
    }
  }
  for (size_t i = mix64(key) & (table_.size() - 1);; i = (i + 1) & (table_.size() - 1)) {
    Row& e = table_[i];
    if (e.accesses == 0) {
      e.key = key;
      ++table_rows_;
      return e;
    }
    if (e.key == key) return e;
  }
}

void GroundTruth::finish() {
  if (finished_) return;
  finished_ = true;
  // Rank sources by address so that sorting keys orders rows by source too.
  sources_ = source_ids_.release();
  std::vector<SortKey> order(sources_.size());
  for (uint32_t id = 0; id < sources_.size(); ++id) order[id] = sort_key(sources_[id], id);
  std::sort(order.begin(), order.end());
  std::vector<uint32_t> rank(sources_.size());
  std::vector<base::IpAddress> ranked(sources_.size());
  for (uint32_t r = 0; r < order.size(); ++r) {
    rank[order[r].id] = r;
    ranked[r] = sources_[order[r].id];
  }
  sources_ = std::move(ranked);
  rows_.reserve(table_rows_);
  for (const Row& r : table_)
    if (r.accesses != 0)
      rows_.push_back({with_source(r.key, rank[key_source(r.key)]), r.accesses, r.first, r.last});
  std::vector<Row>().swap(table_);
  std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
}

void GroundTruth::for_each_row(
    const std::function<void(int32_t, Classification, const base::IpAddress&, uint64_t)>& visit)
    const {
  for (const Row& r : rows_)
    visit(key_day(r.key), {key_proto(r.key), key_port(r.key), key_kind(r.key)},
          sources_[key_source(r.key)], r.accesses);
}

uint64_t ignored_of(const DayCounts& c) {
  uint64_t n = 0;
  for (Verdict v : {Verdict::other_destination, Verdict::ignored_source, Verdict::own_address,
                    Verdict::outgoing})
    n += c.verdicts[static_cast<size_t>(v)];
  return n;
}

void GroundTruth::write_csv(const std::string& path) const {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot create " + path);
  std::string out = "day,proto,port,src,kind,accesses,first_seen,last_seen\n";
  std::vector<std::string> source_text(sources_.size());
  int32_t cached_day = -1;
  std::string day_str;
  char num[24];
  auto append_number = [&](int64_t v) {
    auto [end, ec] = std::to_chars(num, num + sizeof num, v);
    out.append(num, end);
  };
  bool ok = true;
  for (const Row& r : rows_) {
    if (key_day(r.key) != cached_day) day_str = day_text(cached_day = key_day(r.key));
    std::string& src = source_text[key_source(r.key)];
    if (src.empty()) src = sources_[key_source(r.key)].to_string();
    out += day_str;
    out += ',';
    out += proto_name(key_proto(r.key));
    out += ',';
    append_number(key_port(r.key));
    out += ',';
    out += src;
    out += ',';
    out += kind_name(key_kind(r.key));
    out += ',';
    append_number(static_cast<int64_t>(r.accesses));
    out += ',';
    append_number(r.first);
    out += ',';
    append_number(r.last);
    out += '\n';
    if (out.size() > (1u << 20)) {
      ok = ok && std::fwrite(out.data(), 1, out.size(), f) == out.size();
      out.clear();
    }
  }
  ok = ok && std::fwrite(out.data(), 1, out.size(), f) == out.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write " + path);
}

nlohmann::ordered_json GroundTruth::summary() const {
  struct DayKind {
    uint64_t accesses = 0, rows = 0;
    std::vector<uint32_t> sources;
  };
  std::map<int32_t, std::array<DayKind, 3>> days;
  uint64_t accesses[3] = {}, rows[3] = {};
  for (const Row& r : rows_) {
    const auto k = static_cast<size_t>(key_kind(r.key));
    DayKind& dk = days[key_day(r.key)][k];
    dk.accesses += r.accesses;
    ++dk.rows;
    dk.sources.push_back(key_source(r.key));
    accesses[k] += r.accesses;
    ++rows[k];
  }
  nlohmann::ordered_json j;
  j["packets_written"] = packets_;
  j["packets_counted"] = verdicts_[0];
  j["not_counted"] = {{"non_ip", verdicts_[1]},
                      {"other_destination", verdicts_[2]},
                      {"ignored_source", verdicts_[3]},
                      {"own_address", verdicts_[4]},
                      {"outgoing", verdicts_[5]},
                      {"malformed", verdicts_[6]}};
  auto& reasons = j["malformed"] = nlohmann::ordered_json::object();
  for (size_t d = 1; d < std::size(defect_names); ++d)
    if (defects_[d]) reasons[defect_names[d]] = defects_[d];
  j["distinct_rows"] = rows_.size();
  j["distinct_sources"] = sources_.size();
  for (size_t k = 0; k < 3; ++k) {
    const std::string name(kind_name(static_cast<Kind>(k)));
    j["accesses"][name] = accesses[k];
    j["rows"][name] = rows[k];
  }
  j["days"] = nlohmann::ordered_json::array();
  for (const auto& [day, c] : days_) {
    auto& kinds = days[day];
    nlohmann::ordered_json d;
    d["day"] = day_text(day);
    for (size_t k = 0; k < 3; ++k) {
      auto& s = kinds[k].sources;
      std::sort(s.begin(), s.end());
      const auto distinct = static_cast<uint64_t>(std::unique(s.begin(), s.end()) - s.begin());
      d[std::string(kind_name(static_cast<Kind>(k)))] = {{"accesses", kinds[k].accesses},
                                                         {"sources", kinds[k].rows},
                                                         {"distinct_sources", distinct}};
    }
    // What the sensor's coverage view says of the day when it reads this file.
    d["packets"] = c.packets;
    d["coverage_seconds"] = c.last - c.first;
    d["malformed"] = c.verdicts[static_cast<size_t>(Verdict::malformed)];
    d["non_ip"] = c.verdicts[static_cast<size_t>(Verdict::non_ip)];
    d["ignored"] = ignored_of(c);
    j["days"].push_back(std::move(d));
  }
  return j;
}

}  // namespace teiten::synth
