// The façade: the one place where exceptions become data. Everything the CLI, the wasm module and
// the tests see passes through handle().
#include "gpumem/api.hpp"

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

std::string dump(const ojson& j) { return dump_json(j); }

ojson error_json(const std::string& c, const std::string& path, const Text& text) {
  return {{"ok", false},
          {"error", {{"code", c}, {"path", path}, {"message", render(text)}, {"text", text_json(text)}}}};
}

ojson error_json(const Error& e) {
  if (e.text()) return error_json(e.code(), e.path(), *e.text());
  return {{"ok", false}, {"error", {{"code", e.code()}, {"path", e.path()}, {"message", e.what()}}}};
}

std::string run(const json& req, std::string_view attachment) {
  if (!req.is_object()) throw Error(code::bad_request, "", txt("error.request.not_object"));
  const std::string op = request_string(req, "op", "/op");
  std::vector<std::string> names;
  for (const auto& o : kOps) {
    if (o.name == op) return o.text_fn ? o.text_fn(req) : dump(o.fn ? o.fn(req) : o.bytes_fn(req, attachment));
    names.emplace_back(o.name);
  }
  throw Error(code::bad_request, "/op",
              txt("error.request.unknown_op", {{"op", op.substr(0, 40)}, {"ops", text_list("list.comma", names)}}));
}

}  // namespace

std::string handle(const std::string& request_json) { return handle(request_json, std::string()); }

std::string handle(const std::string& request_json, const std::string& attachment) {
  ojson result;
  try {
    json req;
    try {
      req = json::parse(request_json);
    } catch (const json::parse_error&) {
      throw Error(code::bad_request, "", txt("error.request.not_json"));
    }
    return run(req, attachment);
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

}  // namespace gpumem
