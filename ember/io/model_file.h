#pragma once
/// The native model file (".ember"): one self-describing, versioned file holding a module tree or
/// graph (type names, options, flags, parameter and buffer names) in a JSON header and the tensors
/// as aligned raw little-endian data, each with a CRC32C. Loading never runs code: types are looked
/// up in nn::Registry and every field, offset and checksum is validated first. The byte layout and
/// the header schema are in docs/design.md ("## io"). BigDL: Module.saveModule / Module.loadModule.
///
/// Example:
///   io::save_module(*model, "lenet.ember");
///   std::unique_ptr<nn::Module> m = io::load_module("lenet.ember");   // same outputs, same flags

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ember/nn/module.h"

namespace ember::io {

/// Writes `model` to `path` atomically (temporary file, fsync, rename). Deterministic: saving the
/// same model twice, or a loaded model again, gives byte-identical files. IOError naming the file
/// on a write failure (an existing file is left untouched); ValueError for a module whose type is
/// not in nn::Registry (other than nn.Graph) or a name that is not UTF-8.
void save_module(const nn::Module& model, const std::string& path);
/// The bytes save_module would write.
std::string save_module_to_bytes(const nn::Module& model);

/// Reads a model written by save_module: the module tree with its options, parameters, buffers,
/// names, training/frozen/propagate_back flags (init methods are not saved). FormatError naming
/// the file and the module path or tensor for anything malformed; IOError when it cannot be read.
/// Returns a shared_ptr: modules are owned through shared_ptr (the registry's factories, Graph
/// nodes and Module::find's shared_from_this rely on it).
nn::ModulePtr load_module(const std::string& path);
/// load_module from bytes; `name_for_errors` stands for the file name in messages.
nn::ModulePtr load_module_from_bytes(std::string_view bytes, std::string_view name_for_errors);

/// One tensor of a file as listed in its header.
struct TensorInfo {
  std::string name;  ///< "features.0.weight" (model) or the StateDict key (state)
  DType dtype = DType::Float32;
  Shape shape;
  uint64_t nbytes = 0;
};

/// What a file's header says, read without loading tensor data (for `ember info`).
struct ModelInfo {
  std::string path;
  uint32_t format_version = 0;
  std::string kind;             ///< "model" or "state"
  std::string tree;             ///< the module tree, one module per line, repr style ("" for state files)
  int64_t num_parameters = 0;   ///< parameter elements (model files; buffers not counted)
  uint64_t parameter_bytes = 0; ///< bytes of parameter data
  uint64_t tensor_bytes = 0;    ///< bytes of all tensor data (parameters, buffers, state tensors)
  uint64_t file_bytes = 0;
  std::vector<TensorInfo> tensors;
};

/// Reads and validates the preamble and header of a model or state file (tensor checksums are not
/// read). FormatError/IOError naming the file.
ModelInfo read_model_info(const std::string& path);

}  // namespace ember::io
