// Writes valid frames and batch bodies into DIR, to start fuzz_wire's
// corpus (scripts/fuzz runs it):  wire_seeds DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/wire/batch_codec.h"
#include "common/wire/messages.h"

namespace {

namespace fs = std::filesystem;
using namespace teiten;

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

int write_seeds(const fs::path& dir) {
  fs::create_directories(dir);
  const std::string db = "0123456789abcdef0123456789abcdef";
  tally::TallyDelta delta;
  auto pk = tally::pack_proto_kind(packet::Proto::tcp, packet::Kind::probe);
  delta.rows.add_v4(19000, pk, 445, 0xC0000201, 1641600000);
  delta.rows.add_v4(19000, pk, 445, 0xC0000201, 1641600009);
  uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  delta.rows.add_v6(19001, tally::pack_proto_kind(packet::Proto::udp, packet::Kind::backscatter),
                    53, v6, 1641700000);
  auto& day = delta.days[19000];
  day.packets = 10;
  day.first_packet = 1641600000;
  day.last_packet = 1641600009;
  day.capture_seconds = 9;
  day.kernel_drops = 1;
  day.if_drops = 2;
  day.malformed[static_cast<size_t>(packet::Malformed::snaplen)] = 3;
  day.ignored[static_cast<size_t>(tally::Ignored::not_observed)] = 4;
  day.non_ip[0x0806] = 5;
  std::string body = wire::freeze_bodies(delta, 100).at(0).bytes;
  write_file(dir / "body", body);
  write_file(dir / "hello", wire::encode_frame(wire::Hello{"s01", "Asia/Tokyo", db, "teiten 0.1"}));
  write_file(dir / "welcome", wire::encode_frame(wire::Welcome{41, "teiten 0.1"}));
  write_file(dir / "refuse",
             wire::encode_frame(wire::Refuse{wire::RefuseCode::overloaded, "busy"}));
  write_file(dir / "batch", wire::encode_frame(wire::Batch{"s01", db, 42, body}));
  write_file(dir / "ack", wire::encode_frame(wire::Ack{42}));
  write_file(dir / "error", wire::encode_frame(wire::ErrorReply{wire::ErrorCode::storage, "disk"}));
  write_file(dir / "stream", wire::encode_frame(wire::Ack{1}) + wire::encode_frame(wire::Ack{2}));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  return write_seeds(argv[1]);
}
