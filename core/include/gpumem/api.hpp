// The whole binding surface: one JSON request in, one JSON result out. Never throws.
//
// Request:  {"op": "params"|"estimate", "config_text": "<config.json text>" | "config": {...},
//            "options": {"dtype": "fp16"}}
// Success:  {"ok": true, "model": {...}, "params": {...}, "memory": {...}, "assumptions": [...]}
// Request:  {"op": "convert", "value": "3.14" | "bits": "0x4248", "from": "fp16", "round": "rne"|"trunc",
//            "e4m3_overflow": "nan"|"saturate"}
// Success:  {"ok": true, "input": {...}, "fp32_bits": "0x…", "formats": [{"format": "fp16", "bits", "steps", ...}]}
//           (docs/CONVERTER.md)
// Failure:  {"ok": false, "error": {"code": "...", "path": "/json/pointer", "message": "..."}}
// The native tests, the CLI and the wasm module all go through this function.
#pragma once

#include <string>

namespace gpumem {

std::string handle(const std::string& request_json);

// The same, with binary bytes beside the request: the heads of checkpoint files for "inspect"
// (request {"op": "inspect", "files": [{"name", "size", "length"}, ...]}; the attachment is the
// files' first `length` bytes, concatenated in order).
std::string handle(const std::string& request_json, const std::string& attachment);

// The same façade with only the operations a config → verdict needs: params, estimate, fit, gpus and
// options. The page's first module is built on it, so the linker leaves out everything else (the converter,
// the checkpoint parsers, sweep, advise, launch, speed); any other op is answered bad_request at /op, the
// error naming the ops this module has. Results are byte for byte those of handle().
std::string handle_verdict(const std::string& request_json);

}  // namespace gpumem
