// Fuzz target: a whole capture file through the sensor's replay path
// (`--read`): libpcap's pcap reader and the pcapng reader, the offline reader,
// the capture pipeline with its flushes, and the store thread committing
// and freezing batches into a real SQLite database, as the daemon does
// when a collector is configured.
//
// Input: the bytes of one capture file (handed over as an in-memory file).
// Properties, for any bytes:
// - nothing crashes, leaks or reads out of bounds (the sanitizers);
// - the reader reports what it counted, and an incomplete read names the file;
// - every frame is accounted for exactly once: packets = accesses +
//   malformed + ignored + non-IP, summed over the days;
// - whatever a capture file holds can be committed and frozen into batches:
//   a commit that fails would keep the rows in memory forever.
#include <filesystem>
#include <memory>

#include "common/process/logging.h"
#include "common/wire/batch_codec.h"
#include "daemon/sensor/capture_pipeline.h"
#include "daemon/sensor/offline_reader.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace teiten;
namespace fs = std::filesystem;

constexpr const char* kZone = "Asia/Tokyo";
// Small batches, so a file of a few hundred frames still spans several.
constexpr size_t kBatchRows = 7;
// A fresh database now and then keeps the inputs' rows from piling up.
constexpr int kInputsPerDatabase = 2000;

fs::path work_dir;

std::unique_ptr<sensor::StoreWorker> open_store() {
  static int generation = 0;
  fs::path db = work_dir / ("sensor-" + std::to_string(generation++) + ".db");
  auto store = std::make_unique<store::SensorStore>(db.string(), "s01", kZone);
  auto worker = std::make_unique<sensor::StoreWorker>(std::move(store), 2);
  worker->set_freezer(
      [](const tally::SortedRows& rows, const std::map<base::Day, tally::DayStats>& days) {
        std::vector<store::OutboxBatch> out;
        for (auto& body : wire::freeze_bodies(rows, days, kBatchRows))
          out.push_back({0, 0, body.rows, body.min_day, std::move(body.bytes)});
        return out;
      });
  return worker;
}

sensor::StoreWorker& store_worker() {
  static std::unique_ptr<sensor::StoreWorker> worker;
  static int inputs = 0;
  if (!worker || ++inputs % kInputsPerDatabase == 0) {
    worker.reset();
    for (const auto& old : fs::directory_iterator(work_dir)) fs::remove(old.path());
    worker = open_store();
  }
  return *worker;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  process::set_log_level("off");
  work_dir = fuzz::run_directory("capture");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::MemoryFile file(fuzz::bytes_of(data, size), "capture");
  sensor::StoreWorker& store = store_worker();
  auto rules = std::make_shared<tally::CountingRules>();
  rules->observe_all = true;  // --read without capture.observed
  tally::PacketCounter counter(DLT_EN10MB, kZone, rules);
  sensor::CaptureControl control;
  control.set_max_rows(50);  // flushes when full, as a busy sensor does
  sensor::CapturePipeline pipeline(counter, control, store);

  sensor::ReadOutcome outcome = sensor::read_capture_file(file.path(), pipeline);
  if (outcome.packets != counter.total_packets())
    fuzz::broken("the reader reports " + std::to_string(outcome.packets) + " packets, the counter " +
                 std::to_string(counter.total_packets()));
  if (!outcome.complete && outcome.error.find(file.path()) == std::string::npos)
    fuzz::broken("an incomplete read whose error does not name the file: " + outcome.error);

  pipeline.flush();
  store.drain();
  auto stats = store.stats();
  if (!stats.last_error.empty() || stats.retained_rows > 0)
    fuzz::broken("the counted frames could not be committed: " + stats.last_error);

  sensor::CaptureSnapshot seen = pipeline.snapshot();
  const tally::DayStats& s = seen.since_start;
  uint64_t outcomes = s.accesses[1] + s.accesses[2] + s.accesses[3] + s.malformed_total() +
                      s.ignored_total() + s.non_ip_total();
  if (s.packets != outcome.packets || outcomes != s.packets)
    fuzz::broken("frames are not accounted for exactly once: " + std::to_string(outcome.packets) +
                 " read, " + std::to_string(s.packets) + " in the day stats, " +
                 std::to_string(outcomes) + " outcomes");
  return 0;
}
