// Fuzz target: the wire protocol as the collector (and the sensor) read it:
// the byte stream through wire::FrameReader, which tls::FrameChannel feeds
// in production, fed whole, in small chunks and the way FrameChannel reads;
// then every message and batch body decoded, with the properties of
// wire_properties.h. tests/wire's random mutations check the same ones.
//
// One more property, the collector's: a batch body its decoder accepts can
// be stored. The ingest session applies every accepted body to the store;
// one the store then refused would come back from the sensor forever.
#include <filesystem>
#include <memory>

#include "common/store/collector_store.h"
#include "fuzz/fuzz_support.h"
#include "fuzz/wire_properties.h"

namespace {

using namespace teiten;
namespace fs = std::filesystem;

fs::path work_dir;

// One database for the whole run; each accepted body is a new batch.
void check_storable(std::string_view body) {
  static std::unique_ptr<store::CollectorStore> db;
  static uint64_t seq = 0;
  auto content = wire::decode_batch_body(body);
  if (!content) return;
  if (!db || seq % 5000 == 0) {
    db.reset();
    fs::remove_all(work_dir);
    fs::create_directories(work_dir);
    db = std::make_unique<store::CollectorStore>((work_dir / "collector.db").string(), "Asia/Tokyo");
  }
  try {
    auto result = db->apply("s01", "0123456789abcdef0123456789abcdef", ++seq, content->rows,
                            content->days, 1700000000);
    if (!result.applied) fuzz::broken("a new batch number was taken for a resend");
  } catch (const std::exception& e) {
    fuzz::broken(std::string("a batch body the decoder accepts cannot be stored: ") + e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  work_dir = fuzz::run_directory("wire");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto input = fuzz::bytes_of(data, size);
  std::string problem = fuzz::check_wire_input(input);
  if (!problem.empty()) fuzz::broken("wire: " + problem);
  check_storable(input);
  return 0;
}
