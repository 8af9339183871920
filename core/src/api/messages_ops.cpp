// {"op": "messages"}: every sentence id the core can emit with its English template, and the list styles
// that join identifiers inside sentences. The page checks its translations against this (tests/node).
#include "facade.hpp"
#include "gpumem/base/text.hpp"

namespace gpumem {

ojson op_messages(const json&) {
  ojson messages = ojson::object();
  for (const auto& m : message_catalogue()) messages[m.id] = m.en;
  ojson lists = ojson::object();
  for (const auto& l : list_styles()) lists[l.id] = {{"sep", l.sep}, {"last", l.last}};
  return {{"ok", true}, {"messages", std::move(messages)}, {"lists", std::move(lists)}};
}

}  // namespace gpumem
