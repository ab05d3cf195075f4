#include "common/process/logging.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

using namespace teiten::process;
using teiten::test::TempDir;

namespace {

// What `fn` writes to file descriptor 2 (where every logger writes).
template <class F>
std::string stderr_of(F fn) {
  TempDir dir;
  std::string path = dir / "stderr";
  std::fflush(stderr);
  int saved = ::dup(2);
  int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(file >= 0);
  ::dup2(file, 2);
  ::close(file);
  fn();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("one logger per module name, shared by every caller", "[process]") {
  auto a = logger("test-module");
  CHECK(a == logger("test-module"));
  CHECK(a->name() == "test-module");
  CHECK(a != logger("test-other"));
}

TEST_CASE("log lines are `event key=value` after the module's name", "[process]") {
  REQUIRE(set_log_level("info"));
  auto text = stderr_of([] {
    auto log = logger("test-format");
    log->info("flush rows={} seconds={}", 12, 0.5);
    log->debug("hidden at info");
    log->flush();
  });
  // The journal stamps lines itself (JOURNAL_STREAM set); a terminal gets ours.
  const char* pattern = std::getenv("JOURNAL_STREAM")
                            ? "<info> test-format: flush rows=12 seconds=0.5\n"
                            : R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info test-format: )"
                              R"(flush rows=12 seconds=0\.5\n)";
  CHECK_THAT(text, Catch::Matches(pattern));
}

TEST_CASE("the level applies to existing and later loggers; an unknown one changes nothing",
          "[process]") {
  auto before = logger("test-level-before");
  REQUIRE(set_log_level("debug"));
  CHECK(before->level() == spdlog::level::debug);
  CHECK(logger("test-level-after")->level() == spdlog::level::debug);
  CHECK_FALSE(set_log_level("loud"));
  CHECK(before->level() == spdlog::level::debug);
  CHECK(set_log_level("off"));
  CHECK(before->level() == spdlog::level::off);
  REQUIRE(set_log_level("info"));
}
