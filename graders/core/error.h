// Errors as values: library code returns Result<T> or Status instead of
// throwing, so a broken submission or spec never unwinds through the runner.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ipclab {

/// A failure the caller can report: one human-readable message that already
/// says where (file:line:col, or which call) and what went wrong.
struct Error {
  std::string message;
};

/// Either a value or an Error. A small stand-in for C++23 std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design.
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

/// "what: strerror(errno)" for a failed system call.
std::string ErrnoMessage(const std::string& what, int err);

}  // namespace ipclab
