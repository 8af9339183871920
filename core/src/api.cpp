// The façade: the one place where exceptions become data. Everything the CLI, the wasm module and
// the tests see passes through handle().
#include "gpumem/api.hpp"

#include <exception>
#include <new>
#include <string_view>

#include "facade.hpp"
#include "gpumem/error.hpp"

namespace gpumem {

namespace {

using OpFn = ojson (*)(const json&);

// Every operation of the façade. Adding one: declare it in facade.hpp, implement it in its own file,
// list it here.
struct Op {
  std::string_view name;
  OpFn fn;
};
constexpr Op kOps[] = {
    {"params", op_params},
    {"estimate", op_estimate},
    {"convert", op_convert},
};

ojson error_json(const std::string& c, const std::string& path, const std::string& message) {
  return {{"ok", false}, {"error", {{"code", c}, {"path", path}, {"message", message}}}};
}

ojson run(const json& req) {
  if (!req.is_object()) throw Error(code::bad_request, "", "The request must be a JSON object.");
  const std::string op = request_string(req, "op", "/op");
  std::string names;
  for (const auto& o : kOps) {
    if (o.name == op) return o.fn(req);
    names += (names.empty() ? "" : ", ") + std::string(o.name);
  }
  throw Error(code::bad_request, "/op", "Unknown op \"" + op.substr(0, 40) + "\"; use one of: " + names + ".");
}

}  // namespace

std::string handle(const std::string& request_json) {
  ojson result;
  try {
    json req;
    try {
      req = json::parse(request_json);
    } catch (const json::parse_error&) {
      throw Error(code::bad_request, "", "The request is not valid JSON.");
    }
    result = run(req);
  } catch (const Error& e) {
    result = error_json(e.code(), e.path(), e.what());
    if (e.line != 0) {
      result["error"]["line"] = e.line;
      result["error"]["column"] = e.column;
    }
  } catch (const std::bad_alloc&) {
    result = error_json(code::internal_error, "", "Out of memory while reading the input; try a smaller file.");
  } catch (const std::exception& e) {
    result = error_json(code::internal_error, "", std::string("Internal error: ") + e.what() + "; please report it.");
  } catch (...) {
    result = error_json(code::internal_error, "", "Unknown internal error; please report it.");
  }
  // Strings from the input may hold invalid UTF-8; replace rather than throw while serialising.
  return result.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

}  // namespace gpumem
