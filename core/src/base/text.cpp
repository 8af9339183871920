#include "gpumem/base/text.hpp"

#include <algorithm>
#include <unordered_map>

#include "gpumem/base/error.hpp"

namespace gpumem {

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the placeholder name starting at tmpl[i + 1] when tmpl[i] opens one, else 0.
size_t placeholder_at(std::string_view tmpl, size_t i) {
  if (tmpl[i] != '{') return 0;
  size_t j = i + 1;
  while (j < tmpl.size() && name_char(tmpl[j])) ++j;
  return (j > i + 1 && j < tmpl.size() && tmpl[j] == '}') ? j - i - 1 : 0;
}

const ListStyle* find_list_style(std::string_view id) {
  for (const auto& s : list_styles())
    if (id == s.id) return &s;
  return nullptr;
}

}  // namespace

Text txt(std::string id, std::initializer_list<TextArg> args) {
  Text t;
  t.id = std::move(id);
  for (const auto& a : args) {
    if (a.phrase.empty())
      t.args.emplace_back(a.name, a.value);
    else
      t.phrases.emplace_back(a.name, a.phrase.front());
  }
  return t;
}

Text text_list(const char* style, const std::vector<std::string>& items) {
  Text t;
  t.id = style;
  for (size_t i = 0; i < items.size(); ++i) t.args.emplace_back(std::to_string(i), items[i]);
  return t;
}

void text_list_add(Text& list, Text item) {
  list.phrases.emplace_back(std::to_string(list.args.size() + list.phrases.size()), std::move(item));
}

const std::vector<ListStyle>& list_styles() {
  static const std::vector<ListStyle> styles = {
      {"list.or", ", ", " or "},           {"list.and", ", ", " and "}, {"list.or_each", " or ", " or "},
      {"list.and_each", " and ", " and "}, {"list.comma", ", ", ", "},  {"list.concat", "", ""},
  };
  return styles;
}

const char* find_message(std::string_view id) {
  static const std::unordered_map<std::string_view, const char*> index = [] {
    std::unordered_map<std::string_view, const char*> m;
    for (const auto& msg : message_catalogue()) m.emplace(msg.id, msg.en);
    return m;
  }();
  auto it = index.find(id);
  return it == index.end() ? nullptr : it->second;
}

std::vector<std::string> placeholders(std::string_view tmpl) {
  std::vector<std::string> out;
  for (size_t i = 0; i < tmpl.size(); ++i)
    if (size_t n = placeholder_at(tmpl, i)) {
      out.emplace_back(tmpl.substr(i + 1, n));
      i += n + 1;
    }
  return out;
}

std::string render(const Text& t) {
  if (const ListStyle* s = find_list_style(t.id)) {
    // Items are named "0", "1", …: literals or phrases, in the order of their numbers.
    std::vector<std::pair<unsigned long, std::string>> items;
    for (const auto& [k, v] : t.args) items.emplace_back(std::stoul(k), v);
    for (const auto& [k, p] : t.phrases) items.emplace_back(std::stoul(k), render(p));
    std::sort(items.begin(), items.end());
    std::string out;
    for (size_t i = 0; i < items.size(); ++i)
      out += (i == 0 ? "" : i + 1 == items.size() ? s->last : s->sep) + items[i].second;
    return out;
  }
  const char* en = find_message(t.id);
  // Both errors below name ids the catalogue has, so rendering them cannot fail again.
  if (en == nullptr) throw Error(code::internal_error, "", txt("error.internal.unknown_message", {{"id", t.id}}));
  const std::string_view tmpl(en);
  std::string out;
  out.reserve(tmpl.size() + 32);
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const size_t n = placeholder_at(tmpl, i);
    if (n == 0) {
      out += tmpl[i];
      continue;
    }
    const std::string_view name = tmpl.substr(i + 1, n);
    bool found = false;
    for (const auto& [k, v] : t.args)
      if (k == name) {
        out += v;
        found = true;
        break;
      }
    if (!found)
      for (const auto& [k, p] : t.phrases)
        if (k == name) {
          out += render(p);
          found = true;
          break;
        }
    if (!found)
      throw Error(code::internal_error, "",
                  txt("error.internal.message_no_value", {{"id", t.id}, {"name", std::string(name)}}));
    i += n + 1;
  }
  return out;
}

}  // namespace gpumem
