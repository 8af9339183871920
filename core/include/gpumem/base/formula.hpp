// A formula (or any line the core composes from pieces) as data: segments, each a Text of the catalogue
// (core/src/base/messages_memory.cpp). The English line is the segments rendered and concatenated; the page
// renders the same segments in its language (web/src/core-text-memory.js). A part's formula and source
// travel as one Text (text()): the single segment, or a "list.concat" of the segments.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "gpumem/base/text.hpp"

namespace gpumem {

struct Formula {
  std::vector<Text> segs;

  Formula() = default;
  Formula(Text t) {  // NOLINT(google-explicit-constructor): a segment is a formula
    if (!t.empty()) segs.push_back(std::move(t));
  }
  Formula& operator+=(Text t) {
    if (!t.empty()) segs.push_back(std::move(t));
    return *this;
  }
  Formula& operator+=(const Formula& f) {
    segs.insert(segs.end(), f.segs.begin(), f.segs.end());
    return *this;
  }
  bool empty() const { return segs.empty(); }
  // One Text: the single segment, or a "list.concat" of the segments; empty when there are none.
  Text text() const {
    if (segs.size() == 1) return segs.front();
    Text t;
    if (segs.empty()) return t;
    t = text_list("list.concat", {});
    for (const auto& s : segs) text_list_add(t, s);
    return t;
  }
  // The English line.
  std::string str() const {
    std::string out;
    for (const auto& s : segs) out += render(s);
    return out;
  }
};

inline Formula operator+(Formula a, const Formula& b) {
  a += b;
  return a;
}

// The English of a Text, "" for an empty one.
inline std::string render_or_empty(const Text& t) { return t.empty() ? std::string() : render(t); }

}  // namespace gpumem
