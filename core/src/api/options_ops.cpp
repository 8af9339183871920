// The "options" operation: the option schema and the runtime profiles, for the CLI's flags and help, the
// page's controls and the docs.
#include <algorithm>

#include "facade.hpp"
#include "gpumem/memory/support.hpp"
#include "options.hpp"

namespace gpumem {

namespace {

ojson names(unsigned bits, std::initializer_list<std::pair<unsigned, const char*>> all) {
  ojson out = ojson::array();
  for (const auto& [bit, name] : all)
    if ((bits & bit) != 0) out.push_back(name);
  return out;
}

const char* type_name(OptionType t) {
  switch (t) {
    case OptionType::integer:
      return "integer";
    case OptionType::number:
      return "number";
    case OptionType::boolean:
      return "boolean";
    case OptionType::choice:
      return "enum";
    case OptionType::text:
      return "text";
    case OptionType::version:
      return "version";
  }
  return "";
}

const char* tier_name(Tier t) { return t == Tier::basic ? "basic" : t == Tier::expert ? "expert" : "reproduction"; }

}  // namespace

ojson op_options(const json&) {
  ojson rows = ojson::array();
  for (const auto& r : option_schema()) {
    ojson row = {
        {"name", r.name},
        {"modes", names(r.modes, {{mode_inference, "inference"}, {mode_train, "train"}, {mode_weights, "weights"}})},
        {"ops", names(r.ops, {{op_estimate_bit, "estimate"},
                              {op_fit_bit, "fit"},
                              {op_sweep_bit, "sweep"},
                              {op_launch_bit, "launch"},
                              {op_advise_bit, "advise"},
                              {op_speed_bit, "speed"}})},
        {"type", type_name(r.type)}};
    if (r.type == OptionType::choice) row["values"] = r.values;
    if (r.type == OptionType::integer || r.type == OptionType::number) {
      if (r.type == OptionType::integer) {
        row["min"] = static_cast<uint64_t>(r.min);
        if (r.has_max) row["max"] = static_cast<uint64_t>(r.max);
      } else {
        row["min"] = r.min;
        if (r.has_max) row["max"] = r.max;
        row["min_exclusive"] = r.min_open;
        row["max_exclusive"] = r.max_open;
      }
    }
    row["default"] = r.default_value;
    row["default_from"] = r.default_from;
    row["tier"] = tier_name(r.tier);
    // applies_when: {option: [values under which this one means something]}; null = always.
    ojson when = nullptr;
    const auto add_when = [&when](const char* key, const std::string& list) {
      if (list.empty()) return;
      ojson values = ojson::array();
      size_t start = 0;
      while (start <= list.size()) {
        const size_t end = std::min(list.find(',', start), list.size());
        values.push_back(list.substr(start, end - start));
        start = end + 1;
      }
      if (when.is_null()) when = ojson::object();
      when[key] = values;
    };
    add_when("engine", r.applies_engine);
    add_when("quant", r.applies_quant);
    row["applies_when"] = when;
    row["help"] = r.help;
    row["flag"] = r.flag;
    row["cli"] = r.cli == CliForm::value ? "value" : r.cli == CliForm::set_true ? "sets_true" : "sets_false";
    rows.push_back(std::move(row));
  }
  ojson profiles = ojson::array();
  for (const auto& p : runtime_profiles())
    profiles.push_back({{"name", p.name}, {"help", p.help}, {"source", p.source}, {"sets", p.sets}});
  // The engine × format table (memory/support.cpp), so the page offers only what each engine can run.
  const char* kSupport[] = {"runs", "converts", "refused"};
  ojson formats = ojson::object();
  for (const Engine e : {Engine::hf, Engine::vllm, Engine::llamacpp}) {
    ojson quant = ojson::object(), kv = ojson::object();
    for (const auto& id : quant_ids())
      quant[id] = kSupport[static_cast<int>(weight_support(e, *find_quant(id)).support)];
    for (const auto& id : kv_ids()) kv[id] = kSupport[static_cast<int>(kv_support(e, id).support)];
    formats[engine_id(e)] = {{"quant", std::move(quant)}, {"kv_dtype", std::move(kv)}};
  }
  return {{"ok", true},
          {"options", std::move(rows)},
          {"profiles", std::move(profiles)},
          {"engine_formats", std::move(formats)}};
}

}  // namespace gpumem
