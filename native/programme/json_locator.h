// Finds where a JSON pointer's value starts in the source text (line and column), so diagnostics
// can say "programme.json:42:7". One pass over the text records every value's position; it is
// only run when there is something to report. Also a cheap pre-parse check of nesting depth.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tessera {

struct TextPosition {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
};

class JsonLocator {
 public:
  // Records the positions of `wanted` pointers (and their ancestors, for fallback) only.
  JsonLocator(std::string_view text, const std::vector<std::string>& wanted);
  // The position of the value at `pointer`, or of its nearest located ancestor.
  TextPosition locate(const std::string& pointer) const;

 private:
  std::string_view text_;
  std::unordered_map<std::string, size_t> offsets_;
  std::vector<size_t> line_starts_;  // byte offset of each line's first character
  TextPosition position_of(size_t offset) const;
};

// Line and column of a byte offset.
TextPosition position_of_offset(std::string_view text, size_t offset);

// Deepest nesting of arrays/objects (strings skipped); stops counting past `limit`.
int json_nesting_depth(std::string_view text, int limit);

}  // namespace tessera
