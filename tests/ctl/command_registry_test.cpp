#include "common/ctl/command_registry.h"

#include <catch2/catch.hpp>

using namespace teiten;
using ctl::CommandRegistry;
using ctl::Reply;
using ctl::Result;
using nlohmann::json;

namespace {

/// Runs a command and collects every answer it gives (the registry's
/// handlers here all answer synchronously).
std::vector<Reply> run(const CommandRegistry& registry, const std::string& name,
                       const json& arguments = json::object()) {
  std::vector<Reply> replies;
  registry.dispatch(name, arguments, [&](Reply r) { replies.push_back(std::move(r)); });
  return replies;
}

}  // namespace

TEST_CASE("list-commands is built in and lists every command with its help in name order",
          "[ctl]") {
  CommandRegistry registry;
  registry.add_sync("status", "shows the daemon's state",
                    [](const json&) { return Reply::ok(""); });
  registry.add_sync("flush", "commits now", [](const json&) { return Reply::ok(""); });
  auto replies = run(registry, "list-commands");
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].result == Result::ok);
  CHECK(replies[0].text == "3 commands: flush, list-commands, status");
  const json& commands = replies[0].arguments.at("commands");
  REQUIRE(commands.size() == 3);
  CHECK(commands[0] == json{{"name", "flush"}, {"help", "commits now"}});
  CHECK(commands[1]["name"] == "list-commands");
  CHECK(commands[2] == json{{"name", "status"}, {"help", "shows the daemon's state"}});
  CHECK(registry.commands().size() == 3);
  // On the wire the name comes first, so a reader (teitenctl) shows it first.
  CHECK(replies[0].to_json().dump().find(R"({"name":"flush","help":"commits now"})") !=
        std::string::npos);
}

TEST_CASE("a copied registry's list-commands lists the copy's commands", "[ctl]") {
  CommandRegistry original;
  CommandRegistry copy = original;
  copy.add_sync("extra", "only in the copy", [](const json&) { return Reply::ok(""); });
  CHECK(run(copy, "list-commands")[0].arguments["commands"].size() == 2);
  CHECK(run(original, "list-commands")[0].arguments["commands"].size() == 1);
}

TEST_CASE("an unknown command is result 2 and points at list-commands", "[ctl]") {
  CommandRegistry registry;
  auto replies = run(registry, "sttaus");
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].result == Result::unknown_command);
  CHECK(replies[0].text == "unknown command 'sttaus' (try list-commands)");
}

TEST_CASE("a handler gets the request's arguments", "[ctl]") {
  CommandRegistry registry;
  registry.add_sync("echo", "", ctl::kAnyArguments, [](const json& a) { return Reply::ok("", a); });
  auto replies = run(registry, "echo", json{{"limit", 20}});
  CHECK(replies.at(0).arguments == json{{"limit", 20}});
}

TEST_CASE("a throwing handler is answered result 1 with the exception text", "[ctl]") {
  CommandRegistry registry;
  registry.add_sync("flush", "",
                    [](const json&) -> Reply { throw std::runtime_error("database is locked"); });
  auto replies = run(registry, "flush");
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].result == Result::error);
  CHECK(replies[0].text == "flush: database is locked");
}

TEST_CASE("a handler that answers and then throws or answers again sends one reply", "[ctl]") {
  CommandRegistry registry;
  registry.add("twice", "", [](const json&, ctl::Respond respond) {
    respond(Reply::ok("first"));
    respond(Reply::ok("second"));
  });
  registry.add("answer-then-throw", "", [](const json&, ctl::Respond respond) {
    respond(Reply::ok("answered"));
    throw std::runtime_error("after answering");
  });
  auto twice = run(registry, "twice");
  REQUIRE(twice.size() == 1);
  CHECK(twice[0].text == "first");
  auto thrown = run(registry, "answer-then-throw");
  REQUIRE(thrown.size() == 1);
  CHECK(thrown[0].text == "answered");
}

TEST_CASE("add replaces a command of the same name", "[ctl]") {
  CommandRegistry registry;
  registry.add_sync("v", "old", [](const json&) { return Reply::ok("1"); });
  registry.add_sync("v", "new", [](const json&) { return Reply::ok("2"); });
  CHECK(run(registry, "v")[0].text == "2");
  CHECK(registry.commands()[1] == std::pair<std::string, std::string>{"v", "new"});
}

TEST_CASE("a reply converts to the wire object and back", "[ctl]") {
  Reply r{Result::empty, "no data yet", json{{"days", 0}}};
  json j = r.to_json();
  CHECK(j == json{{"result", 3}, {"text", "no data yet"}, {"arguments", {{"days", 0}}}});
  Reply back = Reply::from_json(j);
  CHECK(back.result == Result::empty);
  CHECK(back.text == "no data yet");
  CHECK(back.arguments == json{{"days", 0}});
  // text and arguments are optional on the wire.
  CHECK(Reply::from_json(json{{"result", 0}}).arguments == json::object());
}

TEST_CASE("from_json rejects what is not a reply", "[ctl]") {
  CHECK_THROWS_AS(Reply::from_json(json::array()), std::runtime_error);
  CHECK_THROWS_AS(Reply::from_json(json{{"text", "x"}}), std::runtime_error);
  CHECK_THROWS_AS(Reply::from_json(json{{"result", "0"}}), std::runtime_error);
  CHECK_THROWS_AS(Reply::from_json(json{{"result", 0}, {"text", 5}}), std::runtime_error);
  CHECK_THROWS_AS(Reply::from_json(json{{"result", 0}, {"arguments", json::array()}}),
                  std::runtime_error);
}

TEST_CASE("an argument a command does not take is result 1 naming it, before the handler runs",
          "[ctl]") {
  CommandRegistry registry;
  int ran = 0;
  registry.add_sync("status", "", [&](const json&) {
    ++ran;
    return Reply::ok("");
  });
  registry.add_sync("top", "", {"limit", "day"}, [&](const json&) {
    ++ran;
    return Reply::ok("");
  });
  auto bogus = run(registry, "status", json{{"bogus", 1}});
  REQUIRE(bogus.size() == 1);
  CHECK(bogus[0].result == Result::error);
  CHECK(bogus[0].text == "status: unknown argument 'bogus' (status takes no arguments)");
  auto two = run(registry, "top", json{{"limit", 3}, {"by", "sources"}, {"x", true}});
  REQUIRE(two.size() == 1);
  CHECK(two[0].result == Result::error);
  CHECK(two[0].text == "top: unknown arguments 'by', 'x' (top takes: day, limit)");
  CHECK(ran == 0);
  CHECK(run(registry, "top", json{{"limit", 3}, {"day", "2026-01-01"}})[0].result == Result::ok);
  CHECK(run(registry, "status")[0].result == Result::ok);
  CHECK(ran == 2);
  // list-commands takes none either.
  CHECK(run(registry, "list-commands", json{{"verbose", 1}})[0].result == Result::error);
}
