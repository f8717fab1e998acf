#pragma once
/// ImageFolder: a DataSet over `root/<class>/<image>` (torchvision ImageFolder; BigDL: the
/// folder-per-class layout read by DataSet.ImageFolder). Images are decoded lazily in get().

#include <cstdint>
#include <string>
#include <vector>

#include "ember/data/dataset.h"
#include "ember/data/image/decode.h"

namespace ember::data {

/// Options for ImageFolder.
struct ImageFolderOptions {
  /// Channels of every decoded image: 3 (RGB, the default, so that gray and color files batch
  /// together), 1 (gray) or 0 (as stored).
  int64_t channels = 3;
  template <class V>
  void visit(V&& v) { v("channels", channels); }
};

/// Samples of a folder tree `root/<class>/.../<file>`: class names are the sub-folders of root in
/// sorted order (label = index, int64 scalar), files are sorted by path within a class. Files ending
/// in .jpg, .jpeg or .png (any case) count; hidden files and folders (".name") are skipped, and so
/// are class folders without images. get(i) returns Sample(uint8 [H, W, C], int64 label).
///
/// Example:
///   auto ds = std::make_shared<ImageFolder>("data/flowers/train");
///   ds->classes();   // {"daisy", "rose", ...}
class ImageFolder : public DataSet {
 public:
  /// Scans `root` (IOError when it is missing or not a folder, ValueError when it holds no image).
  explicit ImageFolder(std::string root, ImageFolderOptions options = {});
  int64_t size() const override { return static_cast<int64_t>(paths_.size()); }
  /// Reads and decodes image `index` (thread-safe; FormatError naming the path for a bad file).
  Sample get(int64_t index) const override;
  /// "ImageFolder(root='data/x', 120 images, 3 classes, channels=3)".
  std::string repr() const override;

  const std::string& root() const { return root_; }
  /// Class names in label order.
  const std::vector<std::string>& classes() const { return classes_; }
  /// Image paths in sample order, and their labels.
  const std::vector<std::string>& paths() const { return paths_; }
  const std::vector<int64_t>& labels() const { return labels_; }
  const ImageFolderOptions& options() const { return options_; }

 private:
  std::string root_;
  ImageFolderOptions options_;
  std::vector<std::string> classes_, paths_;
  std::vector<int64_t> labels_;
};

}  // namespace ember::data
