#pragma once
/// StateDict files (optimizer state, trainer position, RNG state): the model file's container
/// (see model_file.h) with header kind "state". Values keep their kind (tensor of any dtype,
/// int64, double, string) and their order, so saving is deterministic.
///
/// Example:
///   StateDict s; s.set("epoch", int64_t{3}); s.set("optim.velocity", v);
///   io::save_state(s, "state.ember");
///   StateDict back = io::load_state("state.ember");

#include <string>
#include <string_view>

#include "ember/tensor/state_dict.h"

namespace ember::io {

/// Writes `state` to `path` atomically. IOError naming the file on failure (an existing file is
/// left untouched); ValueError for a key or string that is not UTF-8.
void save_state(const StateDict& state, const std::string& path);
/// The bytes save_state would write.
std::string save_state_to_bytes(const StateDict& state);
/// Reads a file written by save_state; FormatError naming the file and the key for anything
/// malformed (including a model file passed by mistake), IOError when it cannot be read.
StateDict load_state(const std::string& path);
/// load_state from bytes; `name_for_errors` stands for the file name in messages.
StateDict load_state_from_bytes(std::string_view bytes, std::string_view name_for_errors);

}  // namespace ember::io
