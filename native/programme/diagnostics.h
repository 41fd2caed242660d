// Diagnostics: what the validator and analyses say about a programme, each tied to a place in the
// source (RFC 6901 JSON pointer, and line/column once located in the text).
#pragma once

#include <string>
#include <vector>

namespace tessera {

enum class Severity { Error, Warning, Info };

inline const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "error";
}

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string pointer;  // "" = the whole document
  std::string message;
  int line = 0;         // 1-based; 0 = not located
  int column = 0;
};

class Diagnostics {
 public:
  static constexpr size_t kMaxDiagnostics = 1000;

  void error(std::string pointer, std::string message) { add(Severity::Error, std::move(pointer), std::move(message)); }
  void warning(std::string pointer, std::string message) { add(Severity::Warning, std::move(pointer), std::move(message)); }
  void info(std::string pointer, std::string message) { add(Severity::Info, std::move(pointer), std::move(message)); }
  void add(Severity s, std::string pointer, std::string message) {
    if (s == Severity::Error) ++errors_;
    if (items_.size() >= kMaxDiagnostics) { truncated_ = true; return; }
    items_.push_back({s, std::move(pointer), std::move(message), 0, 0});
  }
  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  bool truncated() const { return truncated_; }
  std::vector<Diagnostic>& items() { return items_; }
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
  bool truncated_ = false;
};

// Appends one reference token to a JSON pointer, escaping '~' and '/' (RFC 6901).
inline std::string pointer_join(const std::string& base, const std::string& token) {
  std::string out = base;
  out.push_back('/');
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}
inline std::string pointer_join(const std::string& base, size_t index) { return base + "/" + std::to_string(index); }

}  // namespace tessera
