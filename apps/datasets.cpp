#include "datasets.h"

#include "ember/core/error.h"
#include "ember/data/cifar.h"
#include "ember/data/image/image_folder.h"
#include "ember/data/image/random_affine.h"
#include "ember/data/image/transforms.h"
#include "ember/data/mnist.h"

namespace ember::apps {

const char* data_kinds() { return "mnist, fashion-mnist, cifar10, folder"; }

namespace {
std::string or_default(const std::string& dir, const char* fallback) { return dir.empty() ? fallback : dir; }

std::string first_existing(const std::string& root, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    const std::string p = root + "/" + n;
    if (FILE* f = std::fopen(p.c_str(), "r")) {
      std::fclose(f);
      return p;
    }
  }
  throw IOError(ember::detail::str_cat("image folder '", root, "' needs a '", *names.begin(), "' sub-folder with one folder per class"));
}
}  // namespace

data::TransformerPtr image_transform(const std::vector<int64_t>& image_shape, double mean, double std) {
  EMBER_CHECK(image_shape.size() == 3, "images need an input shape C,H,W");
  const std::vector<double> m(static_cast<size_t>(image_shape[0]), mean), s(static_cast<size_t>(image_shape[0]), std);
  return std::make_shared<data::Resize>(data::ResizeOptions{.height = image_shape[1], .width = image_shape[2]}) >>
         std::make_shared<data::ToTensor>() >>
         std::make_shared<data::Normalize>(data::NormalizeOptions{.mean = m, .std = s});
}

DataSpec load_data(const std::string& kind, const std::string& dir, const std::vector<int64_t>& image_shape,
                   bool augment, bool need_train) {
  DataSpec spec;
  spec.name = kind;
  if (kind == "mnist" || kind == "fashion-mnist") {
    const bool fashion = kind == "fashion-mnist";
    const std::string root = or_default(dir, fashion ? "data/fashion-mnist" : "data/mnist");
    auto load = fashion ? data::load_fashion_mnist : data::load_mnist;
    if (need_train) spec.train = load(root, {.train = true});
    spec.test = load(root, {.train = false});
    if (augment) {
      // Shifts of up to 2 pixels; the uncovered border gets the normalized value of black.
      const double black = fashion ? -data::kFashionMnistMean / data::kFashionMnistStd : -data::kMnistMean / data::kMnistStd;
      spec.train_transform = std::make_shared<data::RandomTranslate>(
          data::RandomTranslateOptions{.translate = {2.0 / 28, 2.0 / 28}, .fill = black});
    }
    spec.num_classes = 10;
    spec.sample_shape = {1, 28, 28};
  } else if (kind == "cifar10") {
    EMBER_CHECK(!dir.empty(), "--data cifar10 needs --data-dir with the CIFAR-10 binary batches");
    data::CifarOptions o;
    if (need_train) {
      o.train = true;
      spec.train = data::load_cifar10(dir, o);
    }
    o.train = false;
    spec.test = data::load_cifar10(dir, o);
    spec.num_classes = 10;
    spec.sample_shape = {3, 32, 32};
  } else if (kind == "folder") {
    EMBER_CHECK(!dir.empty(), "--data folder needs --data-dir ROOT with ROOT/train/<class>/ and ROOT/val/<class>/");
    EMBER_CHECK(image_shape.size() == 3, "--data folder needs the model's input shape");
    const int64_t c = image_shape[0];
    auto val = std::make_shared<data::ImageFolder>(first_existing(dir, {"val", "test", "validation"}),
                                                   data::ImageFolderOptions{.channels = c});
    spec.test = val;
    spec.num_classes = static_cast<int64_t>(val->classes().size());
    spec.test_transform = image_transform(image_shape);
    spec.train_transform = spec.test_transform;
    if (need_train) {
      auto train = std::make_shared<data::ImageFolder>(first_existing(dir, {"train"}),
                                                       data::ImageFolderOptions{.channels = c});
      EMBER_CHECK(train->classes() == val->classes(), "image folder '", dir,
                  "': train/ and val/ must have the same class folders");
      spec.train = train;
      if (augment) {
        spec.train_transform =
            std::make_shared<data::RandomHorizontalFlip>(data::RandomHorizontalFlipOptions{}) >> spec.test_transform;
      }
    }
    spec.sample_shape = image_shape;
  } else {
    throw ValueError(ember::detail::str_cat("unknown data set '", kind, "': expected one of ", data_kinds()));
  }
  return spec;
}

}  // namespace ember::apps
