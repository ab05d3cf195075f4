// teiten::synth::AddressIndex — numbers distinct addresses 0, 1, 2, ... in
// order of first sight; the ground truth's source table.
//
// Open addressing over a power-of-two array of slots that hold the address
// and its id, so a lookup usually touches one cache line: the truth of a
// 5M-packet bench interns every packet's source, and std::unordered_map's
// node per entry made that the generator's largest cost.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "common/base/ip_address.h"
#include "daemon/synth/rng.h"

namespace teiten::synth {

class AddressIndex {
 public:
  /// The id of `a`, assigning the next one when it is new.
  uint32_t intern(const base::IpAddress& a) {
    if ((addresses_.size() + 1) * 2 > slots_.size()) grow();
    Slot probe;
    std::memcpy(probe.words, a.bytes.data(), 16);
    probe.family = static_cast<uint32_t>(a.family);
    for (size_t i = hash(probe) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.id_plus_one == 0) {
        addresses_.push_back(a);
        probe.id_plus_one = static_cast<uint32_t>(addresses_.size());
        s = probe;
        return s.id_plus_one - 1;
      }
      if (s.words[0] == probe.words[0] && s.words[1] == probe.words[1] && s.family == probe.family)
        return s.id_plus_one - 1;
    }
  }
  size_t size() const { return addresses_.size(); }
  /// Hands the addresses over (by id) and empties the index.
  std::vector<base::IpAddress> release() {
    std::vector<Slot>().swap(slots_);
    return std::move(addresses_);
  }

 private:
  // The address lives in the slot itself: one cache miss per lookup.
  struct Slot {
    uint64_t words[2] = {0, 0};
    uint32_t family = 0;
    uint32_t id_plus_one = 0;  ///< 0: empty
  };

  static uint64_t hash(const Slot& s) { return mix64(s.words[0] ^ mix64(s.words[1] + s.family)); }

  void grow() {
    std::vector<Slot> old(slots_.empty() ? 1024 : slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.id_plus_one == 0) continue;
      size_t i = hash(s) & (slots_.size() - 1);
      while (slots_[i].id_plus_one != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::vector<base::IpAddress> addresses_;  ///< by id
};

}  // namespace teiten::synth
