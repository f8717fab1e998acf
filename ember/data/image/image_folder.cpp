#include "ember/data/image/image_folder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "ember/core/error.h"

namespace ember::data {
namespace {

namespace fs = std::filesystem;

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

bool has_image_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

// Image files under `dir` (recursively, hidden entries skipped), sorted by path.
std::vector<std::string> list_images(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec), end;
  EMBER_CHECK_IO(!ec, "[data.ImageFolder] cannot list '", dir.string(), "': ", ec.message());
  for (; it != end; it.increment(ec)) {
    EMBER_CHECK_IO(!ec, "[data.ImageFolder] cannot list '", dir.string(), "': ", ec.message());
    if (is_hidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && has_image_extension(it->path())) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

ImageFolder::ImageFolder(std::string root, ImageFolderOptions options) : root_(std::move(root)), options_(options) {
  EMBER_CHECK(options_.channels == 0 || options_.channels == 1 || options_.channels == 3,
              "[data.ImageFolder] channels must be 0 (as stored), 1 or 3, got ", options_.channels);
  std::error_code ec;
  EMBER_CHECK_IO(fs::exists(root_, ec), "[data.ImageFolder] root folder '", root_, "' does not exist");
  EMBER_CHECK_IO(fs::is_directory(root_, ec), "[data.ImageFolder] root '", root_, "' is not a folder");
  std::vector<std::string> class_dirs;
  fs::directory_iterator it(root_, ec), end;
  EMBER_CHECK_IO(!ec, "[data.ImageFolder] cannot list '", root_, "': ", ec.message());
  for (; it != end; it.increment(ec)) {
    EMBER_CHECK_IO(!ec, "[data.ImageFolder] cannot list '", root_, "': ", ec.message());
    if (!is_hidden(it->path()) && it->is_directory(ec)) class_dirs.push_back(it->path().filename().string());
  }
  std::sort(class_dirs.begin(), class_dirs.end());
  for (const std::string& name : class_dirs) {
    std::vector<std::string> files = list_images(fs::path(root_) / name);
    if (files.empty()) continue;  // an empty class would shift no label but could never be drawn
    const auto label = static_cast<int64_t>(classes_.size());
    classes_.push_back(name);
    for (std::string& f : files) {
      paths_.push_back(std::move(f));
      labels_.push_back(label);
    }
  }
  EMBER_CHECK(!paths_.empty(), "[data.ImageFolder] found no images under '", root_, "' (", class_dirs.size(),
              " class folders): expected the layout root/<class>/<image> with files ending in .jpg, .jpeg or .png");
}

Sample ImageFolder::get(int64_t index) const {
  EMBER_CHECK_INDEX(index >= 0 && index < size(), "[data.ImageFolder] sample index ", index, " out of range [0, ",
                    size(), ")");
  Tensor image = read_image(paths_[static_cast<size_t>(index)], DecodeOptions{.channels = options_.channels});
  return Sample(std::move(image), Tensor::scalar(static_cast<double>(labels_[static_cast<size_t>(index)]),
                                                 DType::Int64));
}

std::string ImageFolder::repr() const {
  std::ostringstream os;
  os << "ImageFolder(root='" << root_ << "', " << size() << " images, " << classes_.size()
     << " classes, channels=" << options_.channels << ")";
  return os.str();
}

}  // namespace ember::data
