// Errors are data: a stable code, a JSON pointer into the input, one sentence saying what to do.
// Inside the core they travel as gpumem::Error; api.cpp is the one place that turns them into JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "gpumem/base/text.hpp"

namespace gpumem {

// Stable error codes. Scripts outside the project match on these strings: extend, never rename.
namespace code {
inline constexpr const char* invalid_json = "invalid_json";    // not parseable as JSON
inline constexpr const char* not_an_object = "not_an_object";  // JSON, but not an object where one is needed
inline constexpr const char* missing_key = "missing_key";      // a required key is absent or null
inline constexpr const char* wrong_type = "wrong_type";        // e.g. a string where a number belongs
inline constexpr const char* invalid_value = "invalid_value";  // right type, impossible value (negative, zero, …)
inline constexpr const char* unsupported_model = "unsupported_model";  // model_type we cannot count
inline constexpr const char* too_large = "too_large";                  // input over a documented size limit
inline constexpr const char* overflow = "overflow";                    // a count does not fit in 64 bits
inline constexpr const char* bad_request = "bad_request";              // the request itself (not the config) is wrong
inline constexpr const char* unsupported = "unsupported";  // a valid choice the engine cannot run (engine × format)
inline constexpr const char* internal_error = "internal_error";  // a bug: should never be seen
}  // namespace code

class Error : public std::runtime_error {
 public:
  // No plain-string form: every sentence is a Text, so the page can render it in its own language (base/text.hpp,
  // docs/CONTRIBUTING.md "Adding a sentence"). Foreign words (a parser's detail) go in a Text whose template
  // quotes them, such as phrase.json.parser "{detail}".
  Error(std::string code, std::string path, const std::string& message) = delete;
  // The sentence as data (base/text.hpp): what() is its English rendering, the page renders its own.
  Error(std::string code, std::string path, Text text)
      : std::runtime_error(render(text)), code_(std::move(code)), path_(std::move(path)), text_(std::move(text)) {}
  const std::string& code() const { return code_; }
  const std::string& path() const { return path_; }
  // The sentence's id and values; nullopt for an error raised with a plain message.
  const std::optional<Text>& text() const { return text_; }

  // Position in the input text (1-based) for errors found while parsing it; 0 when not applicable.
  uint64_t line = 0;
  uint64_t column = 0;

 private:
  std::string code_;
  std::string path_;
  std::optional<Text> text_;
};

}  // namespace gpumem
