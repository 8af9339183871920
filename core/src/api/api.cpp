// The façade: the one place where exceptions become data. Everything the CLI, the wasm module and
// the tests see passes through handle().
#include "gpumem/api.hpp"

#include <cstddef>
#include <exception>
#include <new>
#include <string_view>

#include "facade.hpp"
#include "gpumem/base/error.hpp"

namespace gpumem {

namespace {

using OpFn = ojson (*)(const json&);
using BytesOpFn = ojson (*)(const json&, std::string_view);
using TextOpFn = std::string (*)(const json&);  // writes its own JSON text (op_sweep: hundreds of rows)

// Every operation of the façade. Adding one: declare it in facade.hpp, implement it in its own file,
// list it here.
struct Op {
  std::string_view name;
  OpFn fn = nullptr;
  BytesOpFn bytes_fn = nullptr;  // for ops that read the attachment
  TextOpFn text_fn = nullptr;    // for ops that serialise their own result
};
constexpr Op kOps[] = {
    {"params", op_params},
    {"estimate", op_estimate},
    {"convert", op_convert},
    {"fit", nullptr, nullptr, op_fit},
    {"gpus", op_gpus},
    {"sweep", nullptr, nullptr, op_sweep},
    {"inspect", nullptr, op_inspect},
    {"options", op_options},
    {"launch", op_launch},
    {"advise", nullptr, nullptr, op_advise},
    {"messages", op_messages},
    {"speed", nullptr, nullptr, op_speed},
};

// The page's first module (handle_verdict): what a config → verdict runs, and nothing the linker could not
// then drop — no converter, checkpoint parsers, sweep, advice, launch writers or speed model. The page routes by
// the same list (web/src/verdict-abi.js, VERDICT_OPS; tests/node/verdict.test.mjs checks they agree).
constexpr Op kVerdictOps[] = {
    {"params", op_params}, {"estimate", op_estimate}, {"fit", nullptr, nullptr, op_fit},
    {"gpus", op_gpus},     {"options", op_options},
};

std::string dump(const ojson& j) { return dump_json(j); }

ojson error_json(const std::string& c, const std::string& path, const Text& text) {
  return {{"ok", false},
          {"error", {{"code", c}, {"path", path}, {"message", render(text)}, {"text", text_json(text)}}}};
}

ojson error_json(const Error& e) {
  if (e.text()) return error_json(e.code(), e.path(), *e.text());
  return {{"ok", false}, {"error", {{"code", e.code()}, {"path", e.path()}, {"message", e.what()}}}};
}

template <std::size_t N>
std::string run(const Op (&ops)[N], const json& req, std::string_view attachment) {
  if (!req.is_object()) throw Error(code::bad_request, "", txt("error.request.not_object"));
  const std::string op = request_string(req, "op", "/op");
  std::vector<std::string> names;
  for (const auto& o : ops) {
    if (o.name == op) return o.text_fn ? o.text_fn(req) : dump(o.fn ? o.fn(req) : o.bytes_fn(req, attachment));
    names.emplace_back(o.name);
  }
  throw Error(code::bad_request, "/op",
              txt("error.request.unknown_op", {{"op", op.substr(0, 40)}, {"ops", text_list("list.comma", names)}}));
}

template <std::size_t N>
std::string handle_with(const Op (&ops)[N], const std::string& request_json, std::string_view attachment) {
  ojson result;
  try {
    json req;
    try {
      req = json::parse(request_json);
    } catch (const json::parse_error&) {
      throw Error(code::bad_request, "", txt("error.request.not_json"));
    }
    return run(ops, req, attachment);
  } catch (const Error& e) {
    result = error_json(e);
    if (e.line != 0) {
      result["error"]["line"] = e.line;
      result["error"]["column"] = e.column;
    }
  } catch (const std::bad_alloc&) {
    result = error_json(code::internal_error, "", txt("error.internal.out_of_memory"));
  } catch (const std::exception& e) {
    result = error_json(code::internal_error, "", txt("error.internal.exception", {{"what", e.what()}}));
  } catch (...) {
    result = error_json(code::internal_error, "", txt("error.internal.unknown"));
  }
  return dump(result);
}

}  // namespace

std::string handle(const std::string& request_json) { return handle_with(kOps, request_json, {}); }

std::string handle(const std::string& request_json, const std::string& attachment) {
  return handle_with(kOps, request_json, attachment);
}

std::string handle_verdict(const std::string& request_json) { return handle_with(kVerdictOps, request_json, {}); }

}  // namespace gpumem
