// CollectorFailover — which of the sensor's collectors (collector.address,
// one address or a list) the shipper dials next.
//
// The list is an order of preference. Each round of attempts starts at
// the first address; an address that cannot be reached (resolve, connect,
// TLS handshake or no WELCOME) passes the turn to the next one at once;
// when every address of the round failed, the shipper backs off and the
// next round starts at the first again. A connection that worked and then
// ended (the collector died, answered ERROR, missed an ACK) also ends the
// round: after the backoff the first address is tried again, so sensors
// return to their preferred collector when it comes back. Batches keep
// their order whatever the address: one connection at a time, the outbox
// in sequence, and the exactly-once record in the shared database lets
// any collector recognise a resend. No I/O; the shipper's thread owns it.
#pragma once

#include <cstddef>

namespace teiten::sensor {

class CollectorFailover {
 public:
  /// count >= 1 addresses, in order of preference.
  explicit CollectorFailover(size_t count) : count_(count ? count : 1) {}

  /// Index of the address to dial now.
  size_t current() const { return current_; }
  /// The attempt on current() failed before the collector said WELCOME.
  /// True: dial the next address now. False: the round is over; back off.
  bool unreachable() {
    if (current_ + 1 < count_) {
      ++current_;
      return true;
    }
    current_ = 0;
    return false;
  }
  /// An established connection ended: back off, then start a new round.
  void ended() { current_ = 0; }

 private:
  size_t count_;
  size_t current_ = 0;
};

}  // namespace teiten::sensor
