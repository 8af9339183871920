// Sentences as data. Every sentence the core says to a person (an assumption, an error) is a Text: a
// message id from the catalogue (core/src/base/messages.cpp) and its named values. render() writes the
// English sentence the CLI prints; the page renders the same id and values in its own language
// (web/src/core-text.js holds the zh template of every id). Values are formatted as the English output
// writes them ("6,738,415,616", "12.5513 GiB"); a value that is itself words (a JSON type, a list of
// choices) is a phrase: a Text of its own, rendered in the same language.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace gpumem {

struct Phrase;

struct Text {
  std::string id;  // dotted, stable: "assume.tied_default.shared", "error.config.not_a_number"
  std::vector<std::pair<std::string, std::string>> args;  // {name} → value, formatted as English writes it
  // {name} → a catalogue phrase (type name, list). Not a std::pair<std::string, Text>: a pair needs Text
  // complete where it is named, which clang with libstdc++ enforces (the fuzz build); a vector does not.
  std::vector<Phrase> phrases;
  bool empty() const { return id.empty(); }
};

// One named phrase of a Text (first: the placeholder's name, second: the phrase), read like a pair.
struct Phrase {
  Phrase(std::string name, Text text) : first(std::move(name)), second(std::move(text)) {}
  std::string first;
  Text second;
};

// One named value of txt(): a literal, or a phrase (a Text).
struct TextArg {
  TextArg(std::string n, std::string v) : name(std::move(n)), value(std::move(v)) {}
  TextArg(std::string n, const char* v) : name(std::move(n)), value(v) {}
  TextArg(std::string n, std::string_view v) : name(std::move(n)), value(v) {}
  template <class I,
            std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>, int> = 0>
  TextArg(std::string n, I v) : name(std::move(n)), value(std::to_string(v)) {}
  TextArg(std::string n, Text t) : name(std::move(n)), phrase{std::move(t)} {}
  std::string name;
  std::string value;
  std::vector<Text> phrase;  // one item when the value is a phrase
};

// txt("error.options.at_least", {{"name", name}, {"min", "1"}}). Integers are written with std::to_string;
// pass with_commas(n) where the sentence groups digits.
Text txt(std::string id, std::initializer_list<TextArg> args = {});

// A list of identifiers as one phrase, joined as the rendering language joins lists. Styles:
// "list.or" a, b or c; "list.and" a, b and c; "list.or_each" a or b or c; "list.and_each" a and b and c;
// "list.comma" a, b, c; "list.concat" abc (phrases that carry their own punctuation). Items may also be
// phrases: add them to phrases under the names "2", "3", … (text_list_add).
Text text_list(const char* style, const std::vector<std::string>& items);
// Appends an item to a list made by text_list.
void text_list_add(Text& list, Text item);

// The English sentence. An unknown id, a placeholder without a value or an unknown list style is a bug:
// Error(internal_error).
std::string render(const Text& t);

// The catalogue: every sentence and phrase id with its English template ({name} placeholders; a brace
// not followed by [A-Za-z0-9_]+} is a literal brace). `{"op": "messages"}` returns it.
struct Message {
  const char* id;
  const char* en;
};
const std::vector<Message>& message_catalogue();
// The English template of `id`; nullptr when the catalogue has none.
const char* find_message(std::string_view id);

// The list styles text_list() accepts, with their English separators.
struct ListStyle {
  const char* id;
  const char* sep;   // between items
  const char* last;  // before the last item
};
const std::vector<ListStyle>& list_styles();

// The placeholder names of a template, in order of appearance (repeats kept).
std::vector<std::string> placeholders(std::string_view tmpl);

}  // namespace gpumem
