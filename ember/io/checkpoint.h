#pragma once
/// Checkpoints: a directory per save holding the model and a StateDict (optimizer state, RNG state,
/// epoch/iteration, data position), written under a temporary name and renamed into place, with a
/// `latest` pointer file replaced atomically. A crash at any point leaves the previous checkpoint
/// and `latest` intact. BigDL: Optimizer.setCheckpoint.
///
/// Layout of `dir`:
///   checkpoint-0000001000/model.ember    the model (model_file.h)
///   checkpoint-0000001000/state.ember    the StateDict (state_file.h)
///   latest                               "checkpoint-0000001000\n"
///   .checkpoint-0000001000.tmp/          only while a save is in progress (or after a crash)
///
/// Example:
///   io::CheckpointManager ckpt("runs/lenet", /*keep_last=*/3);
///   ckpt.save(iteration, *model, state);
///   auto [model, state, path] = io::CheckpointManager::load("runs/lenet");   // the latest one

#include <cstdint>
#include <optional>
#include <string>

#include "ember/nn/module.h"
#include "ember/tensor/state_dict.h"

namespace ember::io {

/// A loaded checkpoint.
struct Checkpoint {
  nn::ModulePtr model;
  StateDict state;
  std::string path;  ///< the checkpoint directory that was read
};

/// Writes checkpoints into one directory and keeps the newest `keep_last` of them.
class CheckpointManager {
 public:
  static constexpr const char* kModelFile = "model.ember";
  static constexpr const char* kStateFile = "state.ember";
  static constexpr const char* kLatestFile = "latest";

  /// `dir` is created on the first save. ValueError when keep_last < 1.
  explicit CheckpointManager(std::string dir, int keep_last = 3);

  /// Writes `<dir>/checkpoint-<iteration, 10 digits>/` (model.ember, state.ember) through a
  /// temporary directory, fsyncs, renames it into place, points `latest` at it, then deletes the
  /// oldest checkpoints beyond keep_last (never the one just written). Stale temporary directories
  /// from a crash are removed first. Returns the checkpoint's path. On failure (e.g. a full disk):
  /// IOError naming the file, the temporary directory removed, `latest` and earlier checkpoints
  /// untouched. ValueError when iteration < 0.
  std::string save(int64_t iteration, const nn::Module& model, const StateDict& state);

  /// The path of the checkpoint `latest` points to; when `latest` is missing, the newest complete
  /// checkpoint directory; nullopt when there is none (temporary directories are ignored).
  /// FormatError when `latest` is malformed or names a checkpoint that does not exist.
  static std::optional<std::string> latest(const std::string& dir);

  /// Loads a checkpoint directory, or the latest checkpoint of a root directory. IOError when
  /// there is none; FormatError/IOError from the files.
  static Checkpoint load(const std::string& path);

  /// Copies a checkpoint's parameters and buffers into `model` (the same structure: type names,
  /// parameter and buffer names and shapes, else ValueError "... the checkpoint is from another
  /// model") and replaces `state` with the checkpoint's. `model` keeps its flags and dtype.
  static void load_into(const std::string& path, nn::Module& model, StateDict& state);

  const std::string& dir() const { return dir_; }
  int keep_last() const { return keep_last_; }

  /// "checkpoint-0000001000".
  static std::string checkpoint_name(int64_t iteration);

 private:
  void remove_stale_temporaries() const;
  void prune(const std::string& keep) const;

  std::string dir_;
  int keep_last_;
};

}  // namespace ember::io
