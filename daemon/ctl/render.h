// teitenctl's readable output: turns a reply's "arguments" into text
// without knowing any command, so a new daemon command needs no teitenctl
// change. Objects become indented `key: value` blocks in the daemon's key
// order, arrays of objects become aligned tables, arrays of scalars become
// comma-separated lists. Numbers keep their exact digits (operators grep
// and copy them); null is "-", booleans are yes/no. Pure functions, no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace teiten::teitenctl {

/// One scalar as shown: strings bare, null "-", true/false "yes"/"no",
/// numbers as JSON writes them. Containers are written as compact JSON.
std::string render_scalar(const nlohmann::ordered_json& value);

/// A value that fits on one line: a scalar, an empty container ("-"), or an
/// array of scalars joined with ", "; anything else as compact JSON.
std::string render_inline(const nlohmann::ordered_json& value);

/// render_inline, or a span for whole seconds under a key ending in `_s`
/// or `_seconds` ("lag_s": 515925045 -> "16y").
std::string render_field(const std::string& key, const nlohmann::ordered_json& value);

/// A table of the objects in `rows`: one column per key (union of keys in
/// first-seen order), a header line of key names, cells separated by two
/// spaces, numeric columns right-aligned, missing cells "-". Every line is
/// prefixed by `indent` spaces and ends in '\n'; no trailing spaces. With
/// `width` (0: none), a text last column wraps at spaces so lines fit.
std::string render_table(const nlohmann::ordered_json& rows, size_t indent = 0, size_t width = 0);

/// The readable form of a reply's arguments (normally an object); empty for
/// an empty object. Ends in '\n' when not empty.
std::string render_arguments(const nlohmann::ordered_json& arguments, size_t indent = 0,
                             size_t width = 0);

}  // namespace teiten::teitenctl
