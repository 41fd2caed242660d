#include <doctest.h>

#include "programme/json_locator.h"

TEST_CASE("locator finds wanted pointers past skipped subtrees with tricky strings") {
  const std::string text =
      "{\n"
      "  \"skip\": {\"a\": \"}]{[\\\"\", \"b\": [1, [2, {\"c\": \"x,y\"}]]},\n"
      "  \"k~/ey\": [true, {\"deep\": \"v\"}],\n"
      "  \"last\": 3\n"
      "}";
  const tessera::JsonLocator locator(text, {"/k~0~1ey/1/deep", "/last", "/missing/child"});
  const auto deep = locator.locate("/k~0~1ey/1/deep");
  CHECK(deep.line == 3);
  CHECK(deep.column == 28);  // the opening quote of "v"
  const auto last = locator.locate("/last");
  CHECK(last.line == 4);
  CHECK(last.column == 11);
  // An absent value falls back to its nearest located ancestor (here the document).
  CHECK(locator.locate("/missing/child").line == 1);
}

TEST_CASE("nesting depth ignores brackets inside strings") {
  CHECK(tessera::json_nesting_depth(R"({"a":"[[[[","b":[[1]]})", 100) == 3);
  CHECK(tessera::json_nesting_depth(std::string(50, '['), 10) > 10);
}
