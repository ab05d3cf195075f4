#include "common/ctl/protocol.h"

#include <catch2/catch.hpp>

using namespace teiten;
using ctl::parse_request;
using ctl::Reply;
using nlohmann::json;

TEST_CASE("a request line gives its command and arguments", "[ctl][protocol]") {
  auto r = parse_request(R"({"command": "top", "arguments": {"limit": 20}, "extra": 1})");
  CHECK(r.error.empty());
  CHECK(r.command == "top");
  CHECK(r.arguments == json{{"limit", 20}});
  auto bare = parse_request(R"({"command": "status"})");
  CHECK(bare.error.empty());
  CHECK(bare.arguments == json::object());
}

TEST_CASE("each kind of invalid request line gets its own explanation", "[ctl][protocol]") {
  // nlohmann writes the parse errors; what matters is that they say "not
  // JSON" and where.
  const std::string not_json = "invalid request: not JSON: parse error at line 1, column ";
  CHECK(parse_request("").error == not_json +
                                       "1: syntax error while parsing value - unexpected "
                                       "end of input; expected '[', '{', or a literal");
  struct Case {
    std::string line, error;
  };
  for (const auto& [line, error] : std::vector<Case>{
           {"{not json", not_json},
           {R"({"command": "a"} trailing)", not_json},
           {"{\"command\": \"st\xff\"}", not_json},
           {"[1, 2]",
            R"(invalid request: expected a JSON object like {"command": "list-commands"})"},
           {R"("status")",
            R"(invalid request: expected a JSON object like {"command": "list-commands"})"},
           {R"({"arguments": {}})", R"(invalid request: "command" must be a non-empty string)"},
           {R"({"command": ""})", R"(invalid request: "command" must be a non-empty string)"},
           {R"({"command": ["status"]})",
            R"(invalid request: "command" must be a non-empty string)"},
           {R"({"command": "top", "arguments": [20]})",
            R"(invalid request: "arguments" must be an object)"},
           {R"({"command": "top", "arguments": null})",
            R"(invalid request: "arguments" must be an object)"},
       }) {
    CAPTURE(line);
    auto r = parse_request(line);
    CHECK(r.error.rfind(error, 0) == 0);
    CHECK(r.command.empty());
  }
}

TEST_CASE("nesting is allowed to 32 levels and refused beyond, however deep", "[ctl][protocol]") {
  // `levels` counts the request object, the arguments object, the arrays
  // between, and the innermost object.
  auto nested = [](int levels) {
    return R"({"command": "x", "arguments": {"a": )" + std::string(levels - 3, '[') + "{}" +
           std::string(levels - 3, ']') + "}}";
  };
  CHECK(parse_request(nested(32)).error.empty());
  CHECK(parse_request(nested(33)).error == "invalid request: nested deeper than 32 levels");
  CHECK(parse_request(nested(32'000)).error == "invalid request: nested deeper than 32 levels");
}

TEST_CASE("the wire line puts result first and survives invalid UTF-8 in a handler's text",
          "[ctl][protocol]") {
  std::string line = ctl::encode_reply_line(Reply::error("bad interface \xff\xfe"));
  CHECK(line.rfind("{\"result\":1,\"text\":\"bad interface ", 0) == 0);
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  CHECK_NOTHROW(json::parse(line));
  CHECK(ctl::encode_reply_line(Reply{ctl::Result::empty, "", nullptr}) ==
        "{\"result\":3,\"text\":\"\",\"arguments\":{}}\n");
}
