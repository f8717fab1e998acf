#pragma once
/// Ember's typed exceptions and the EMBER_CHECK family of macros.
///
/// Every exception derives from a standard one so that pybind11 maps it to the natural Python type
/// (ShapeError/ValueError -> ValueError, IndexError -> IndexError, TypeError -> TypeError, ...).
/// Messages follow `[<where>] <what is wrong>: expected <X>, got <Y>.` Modules and containers add
/// their type and path while an error passes through them, so a user reads
/// `[nn.Linear 'encoder.fc1'] input feature size mismatch: ...`.

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ember {

/// Context shared by every Ember exception: the innermost module type and its path in the model.
class ErrorContext {
 public:
  explicit ErrorContext(std::string body) : body_(std::move(body)) { compose(); }
  virtual ~ErrorContext() = default;

  /// The message without module context.
  const std::string& body() const { return body_; }
  /// True once a module has claimed the error (set the `[type 'path']` prefix).
  bool has_module() const { return !module_.empty(); }
  /// Records the innermost module type, e.g. "nn.Linear". Only the first call counts.
  void set_module(std::string_view type_name);
  /// Prepends one level of container path, e.g. "encoder" turns "fc1" into "encoder.fc1".
  void prepend_path(std::string_view key);
  const std::string& path() const { return path_; }

 protected:
  const char* message() const noexcept { return full_.c_str(); }

 private:
  void compose();
  std::string body_, module_, path_, full_;
};

namespace detail {
template <class Std>
class EmberError : public Std, public ErrorContext {
 public:
  explicit EmberError(const std::string& msg) : Std(msg), ErrorContext(msg) {}
  const char* what() const noexcept override { return message(); }
};
}  // namespace detail

/// A tensor shape does not fit what an op or module needs (Python: ValueError).
class ShapeError : public detail::EmberError<std::invalid_argument> {
 public:
  using EmberError::EmberError;
};
/// An invalid argument or option value (Python: ValueError).
class ValueError : public detail::EmberError<std::invalid_argument> {
 public:
  using EmberError::EmberError;
};
/// An index or dimension out of range (Python: IndexError).
class IndexError : public detail::EmberError<std::out_of_range> {
 public:
  using EmberError::EmberError;
};
/// A dtype that an op does not support, or mismatched dtypes (Python: TypeError).
class TypeError : public detail::EmberError<std::invalid_argument> {
 public:
  using EmberError::EmberError;
};
/// A feature that is not available in this build or for these arguments (Python: NotImplementedError).
class NotImplementedError : public detail::EmberError<std::logic_error> {
 public:
  using EmberError::EmberError;
};
/// A failure outside the caller's control: a backend error, I/O, a peer (Python: RuntimeError).
class RuntimeError : public detail::EmberError<std::runtime_error> {
 public:
  using EmberError::EmberError;
};
/// A file or stream could not be opened, read or written: missing file, permission, full disk
/// (Python: OSError). The message names the path.
class IOError : public detail::EmberError<std::runtime_error> {
 public:
  using EmberError::EmberError;
};
/// A file's contents are malformed: bad magic, truncated, checksum mismatch, out-of-range field
/// (Python: ValueError). The message names the file, the place in it, and what was expected.
class FormatError : public detail::EmberError<std::runtime_error> {
 public:
  using EmberError::EmberError;
};
/// An Ember bug: an internal invariant does not hold (Python: RuntimeError).
class InternalError : public detail::EmberError<std::logic_error> {
 public:
  using EmberError::EmberError;
};

namespace detail {
template <class... Parts>
std::string str_cat(const Parts&... parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}
[[noreturn]] void throw_internal(const char* file, int line, const char* cond, const std::string& msg);
}  // namespace detail

}  // namespace ember

/// Throws `type` with the streamed message parts when `cond` is false.
#define EMBER_CHECK_AS(type, cond, ...)                          \
  do {                                                           \
    if (!(cond)) [[unlikely]] {                                  \
      throw type(::ember::detail::str_cat(__VA_ARGS__));         \
    }                                                            \
  } while (0)

/// Invalid argument or option -> ember::ValueError.
#define EMBER_CHECK(cond, ...) EMBER_CHECK_AS(::ember::ValueError, cond, __VA_ARGS__)
/// Shape mismatch -> ember::ShapeError.
#define EMBER_CHECK_SHAPE(cond, ...) EMBER_CHECK_AS(::ember::ShapeError, cond, __VA_ARGS__)
/// Unsupported or mismatched dtype -> ember::TypeError.
#define EMBER_CHECK_TYPE(cond, ...) EMBER_CHECK_AS(::ember::TypeError, cond, __VA_ARGS__)
/// I/O failure -> ember::IOError.
#define EMBER_CHECK_IO(cond, ...) EMBER_CHECK_AS(::ember::IOError, cond, __VA_ARGS__)
/// Malformed file contents -> ember::FormatError.
#define EMBER_CHECK_FORMAT(cond, ...) EMBER_CHECK_AS(::ember::FormatError, cond, __VA_ARGS__)
/// Index or dim out of range -> ember::IndexError.
#define EMBER_CHECK_INDEX(cond, ...) EMBER_CHECK_AS(::ember::IndexError, cond, __VA_ARGS__)
/// "This is a bug": an invariant Ember itself guarantees. Active in every build type.
#define EMBER_INTERNAL_ASSERT(cond, ...)                                                        \
  do {                                                                                          \
    if (!(cond)) [[unlikely]] {                                                                 \
      ::ember::detail::throw_internal(__FILE__, __LINE__, #cond, ::ember::detail::str_cat(__VA_ARGS__)); \
    }                                                                                           \
  } while (0)
#ifdef NDEBUG
#define EMBER_DEBUG_ASSERT(cond, ...) ((void)0)
#else
#define EMBER_DEBUG_ASSERT(cond, ...) EMBER_INTERNAL_ASSERT(cond, __VA_ARGS__)
#endif
