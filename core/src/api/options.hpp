// The option schema: one row per request option (its modes, type, values or range, default and where
// the default comes from, tier, when it applies, one line of help, its CLI flag), the runtime profiles,
// and the one reader every operation reads its options through. `{"op": "options"}` returns the schema;
// the CLI's flags and `--help`, the page's controls and docs/CONTRIBUTING.md derive from it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gpumem/base/error.hpp"
#include "gpumem/model/model.hpp"

namespace gpumem {

// Which estimate an option belongs to (options.mode), as bits.
enum OptionMode : unsigned { mode_inference = 1u, mode_train = 2u, mode_weights = 4u };
// Which operations read it, as bits.
enum OptionOp : unsigned {
  op_estimate_bit = 1u,
  op_fit_bit = 2u,
  op_sweep_bit = 4u,
  op_launch_bit = 8u,
  op_advise_bit = 16u,
  op_speed_bit = 32u
};

enum class OptionType { integer, number, boolean, choice, text, version };
enum class Tier { basic, expert, reproduction };
// How the CLI spells it: `--name VALUE`, or a bare flag that sets true (`--double-quant`) or false
// (`--no-flash-attn`).
enum class CliForm { value, set_true, set_false };

struct OptionRow {
  std::string name;  // snake_case, as in the request's "options"
  unsigned modes = 0;
  unsigned ops = op_estimate_bit | op_fit_bit | op_sweep_bit | op_launch_bit | op_advise_bit | op_speed_bit;
  OptionType type = OptionType::text;
  std::vector<std::string> values;  // choice: every accepted value (the first that means "auto", if any)
  double min = 0, max = 0;          // integer and number
  bool has_max = false;
  bool min_open = false, max_open = false;  // number: (min, …] or […, max)
  nlohmann::ordered_json default_value;     // null: decided at run time (default_from says from what)
  std::string default_from = "constant";    // constant, config, engine, gpu, profile, option
  Tier tier = Tier::basic;
  std::string applies_engine;  // comma list of engines the option is read for; "" = every engine of its modes
  std::string applies_quant;   // comma list of weight formats it means something for; "" = every format
  std::string help;
  std::string example;  // for messages: "4096"
  std::string flag;     // "--group-size", "--no-flash-attn"
  CliForm cli = CliForm::value;
  std::string unknown;  // choice: the message id for a value not in `values` (args name, value, values)
};

// Every option, in the order `--help` and the page list them.
const std::vector<OptionRow>& option_schema();
// The row of `name` for `mode` (an OptionMode bit); nullptr when there is none.
const OptionRow* find_option(std::string_view name, unsigned mode);

// A named runtime description: the software stack and measuring loop of one published measurement,
// set at once. Its `sets` are option values that replace the schema's defaults (the request's own
// options still win).
struct Profile {
  std::string name;
  std::string help;    // one line: what it reproduces
  std::string source;  // the measurement it comes from
  nlohmann::json sets;
};
const std::vector<Profile>& runtime_profiles();

// Reads one request's options for one mode through the schema: type, range and allowed values are
// checked with a stable message and the path /options/NAME; an absent (or null) option takes the
// profile's value, then the schema's default. Reading a name the schema lacks for this mode is an
// internal error, so every option an operation reads is in the schema.
class OptionReader {
 public:
  // `options` must outlive the reader. Reads options.profile first; a profile other than "current" adds one assumption
  // saying what it set.
  OptionReader(const nlohmann::json& options, unsigned mode, std::vector<Assumption>& notes);

  // In the request (not null) or set by the profile.
  bool given(const char* name) const;
  // In the request itself (not null).
  bool in_request(const char* name) const;
  uint64_t count(const char* name) const;  // the row's default
  uint64_t count(const char* name, uint64_t fallback) const;
  double number(const char* name) const;
  bool flag(const char* name) const;
  bool flag(const char* name, bool fallback) const;
  // A text option ("" when absent and without a default).
  std::string text(const char* name) const;
  // A choice: the value as given (validated), or the default ("" when the default is null).
  std::string choice(const char* name) const;
  // A choice mapped to an enum: `by_value` lists one enumerator per schema value, in the schema's order.
  template <class E>
  E choice(const char* name, std::initializer_list<E> by_value) const {
    const std::string v = choice(name);
    const OptionRow& r = row(name);
    if (by_value.size() != r.values.size())
      throw Error(code::internal_error, path(name), txt("error.internal.option_table"));
    size_t i = 0;
    for (const E e : by_value) {
      if (r.values[i] == v) return e;
      ++i;
    }
    return *by_value.begin();
  }
  const Profile& profile() const { return *profile_; }

 private:
  const OptionRow& row(const char* name) const;
  const nlohmann::json* value(const char* name) const;  // request, else profile, else nullptr
  static std::string path(const char* name) { return std::string("/options/") + name; }

  const nlohmann::json& options_;
  unsigned mode_;
  const Profile* profile_ = nullptr;
};

}  // namespace gpumem
