// Sentences as data (core/include/gpumem/base/text.hpp): render() fills a catalogue template, refuses an
// unknown id or a missing value, and every assumption and error the façade emits carries a text whose
// English rendering is its message.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "gpumem/api.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/text.hpp"
#include "support.hpp"

namespace test_text {

using gpumem::render;
using gpumem::Text;
using gpumem::txt;
using gpumem::test::call;
using gpumem::test::read_text;
using gpumem::test::text_from_json;
using nlohmann::json;

namespace {

// Every message and text in a result: each text renders to its message.
int check_texts(const json& r) {
  int n = 0;
  auto check = [&](const json& o) {
    INFO(o.dump());
    REQUIRE(o.contains("text"));
    CHECK(render(text_from_json(o["text"])) == o["message"].get<std::string>());
    ++n;
  };
  if (r.contains("error")) check(r["error"]);
  if (r.contains("assumptions"))
    for (const auto& a : r["assumptions"]) check(a);
  return n;
}

}  // namespace

TEST_CASE("render fills the placeholders of the catalogue's English template", "[text]") {
  CHECK(render(txt("error.options.at_least", {{"name", "batch"}, {"min", "1"}})) == "batch must be at least 1.");
  CHECK(render(txt("error.config.missing_required",
                   {{"keys", gpumem::text_list("list.or_each", {"hidden_size", "n_embd"})}})) ==
        "The config has no hidden_size or n_embd (or it is null); it is required to count this model's parameters.");
  CHECK(render(gpumem::text_list("list.or", {"a", "b", "c"})) == "a, b or c");
  // a brace that does not open a placeholder is text
  CHECK(render(txt("error.config.not_an_object", {{"type", txt("phrase.type.array")}})) ==
        "The JSON is an array, not an object; a config.json is an object such as {\"model_type\": \"llama\", …}.");
}

TEST_CASE("an unknown id or a missing value is an internal error", "[text]") {
  CHECK_THROWS_AS(render(txt("no.such.id")), gpumem::Error);
  CHECK_THROWS_AS(render(txt("error.options.at_least", {{"name", "batch"}})), gpumem::Error);
}

TEST_CASE("every catalogue id is unique and every template's placeholders are names", "[text]") {
  std::set<std::string> ids;
  for (const auto& m : gpumem::message_catalogue()) {
    INFO(m.id);
    CHECK(ids.insert(m.id).second);
    CHECK(gpumem::find_message(m.id) != nullptr);
  }
  CHECK(ids.size() > 200);
}

TEST_CASE("the messages op lists the catalogue and the list styles", "[text]") {
  const json r = json::parse(gpumem::handle(R"({"op":"messages"})"));
  REQUIRE(r["ok"] == true);
  CHECK(r["messages"].size() == gpumem::message_catalogue().size());
  CHECK(r["messages"]["error.options.at_least"] == "{name} must be at least {min}.");
  CHECK(r["lists"]["list.or"]["last"] == " or ");
}

TEST_CASE("assumptions and errors of real requests carry texts that render to their messages", "[text]") {
  int n = 0;
  for (const char* cfg :
       {"fixtures/configs/llama-2-7b.json", "fixtures/configs/gpt2.json", "fixtures/configs/t5-small.json",
        "fixtures/configs/mixtral-8x7b-v0.1.json", "fixtures/configs/gemma-2-9b.json"}) {
    const std::string text = read_text(cfg);
    n += check_texts(call("params", text));
    for (const char* engine : {"hf", "vllm", "llamacpp"}) {
      n += check_texts(call("estimate", text, {{"engine", engine}}));
      n += check_texts(call("estimate", text, {{"engine", engine}, {"gpu", "RTX 4090"}, {"context", 200000}}));
      n += check_texts(call("estimate", text, {{"engine", engine}, {"quant", "bnb-nf4"}, {"kv_dtype", "q4_0"}}));
    }
    n += check_texts(call("estimate", text, {{"mode", "train"}, {"quant", "bnb-nf4"}, {"lora_rank", 16}}));
    n += check_texts(call("estimate", text, {{"batch", "x"}}));
    n += check_texts(call("estimate", text, {{"dtype", "fp64"}}));
  }
  n += check_texts(json::parse(gpumem::handle(R"({"op":"nope"})")));
  n += check_texts(json::parse(gpumem::handle("{")));
  n += check_texts(call("params", "{\"model_type\": \"llama\"}"));
  n += check_texts(call("params", "[1]"));
  CHECK(n > 100);
}

}  // namespace test_text
