// Shared pieces of the gpumem CLI. Each command lives in its own file and only translates between
// arguments/files and the core's JSON façade (gpumem::handle).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gpumem::cli {

struct Args {
  std::string command;
  std::vector<std::string> positional;  // after the command
  nlohmann::json options = nlohmann::json::object();
  bool as_json = false;
};

// Prints an error the CLI way (JSON on stdout with --json, one line on stderr without) and returns 2.
int fail(bool as_json, const std::string& code, const std::string& message);

// Calls the façade and, on {"ok": false}, prints the error and returns 2; otherwise stores the result.
int call_facade(const Args& a, const nlohmann::json& request, nlohmann::json& result, std::string& raw);

// The one-config commands: reads the single CONFIG.json argument and calls op = the command with the
// options; returns 2 after printing the error (bad usage, unreadable file, or the façade's error).
int call_with_config(const Args& a, nlohmann::json& result, std::string& raw);

// The one-config commands' whole flow: call_with_config, then the façade's JSON as it is with --json, else
// print(result) for people; returns the exit status.
int config_command(const Args& a, const std::function<void(const nlohmann::json&)>& print);

// The same for a result already in hand (raw JSON from the façade).
int check_result(const Args& a, const std::string& raw, nlohmann::json& result);

bool read_file(const std::string& path, std::string& out);

// Runs the façade's inspect over the headers of `paths` (growing each file's head as it asks); returns 2 after
// printing the error, else 0 with the result.
int inspect_files(const Args& a, const std::vector<std::string>& paths, const std::string* config_text,
                  nlohmann::json& result, std::string& raw);

// vLLM's own figures when the result carries its engine_report (estimate and fit with --engine vllm and a GPU):
// the KV cache in GiB and tokens, the maximum concurrency and the largest --max-model-len (inference.cpp).
void print_vllm_report(const nlohmann::json& result);
// llama.cpp's buffers as its log names them, its automatic fit and the llama-server flags that reproduce them
// (estimate and fit with --engine llamacpp; inference.cpp).
void print_llamacpp_report(const nlohmann::json& result);

// Commands.
int cmd_model(const Args& a);      // params, estimate (model.cpp)
int cmd_convert(const Args& a);    // convert (convert.cpp)
int cmd_inspect(const Args& a);    // inspect (inspect.cpp)
int cmd_inference(const Args& a);  // fit, sweep (inference.cpp)
int cmd_gpus(const Args& a);       // gpus (inference.cpp)
int cmd_launch(const Args& a);     // launch (launch.cpp)
int cmd_advise(const Args& a);     // advise (advise.cpp)
int cmd_speed(const Args& a);      // speed (speed.cpp)

}  // namespace gpumem::cli
