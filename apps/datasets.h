#pragma once
/// The data sets the `ember` commands know: mnist, fashion-mnist, cifar10 (binary batches) and an
/// image folder (root/train/<class>/*, root/val/<class>/*).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/data/dataset.h"
#include "ember/data/transformer.h"

namespace ember::apps {

struct DataSpec {
  std::string name;
  std::shared_ptr<const data::DataSet> train, test;
  data::TransformerPtr train_transform, test_transform;
  int64_t num_classes = 0;
  /// One sample's feature shape as the model sees it: {C, H, W}.
  std::vector<int64_t> sample_shape;
};

/// Loads `kind` from `dir` ("" = the default place under data/). `image_shape` ({C, H, W}) sets the
/// size images from a folder are resized to; `augment` adds random flips/crops for training.
DataSpec load_data(const std::string& kind, const std::string& dir, const std::vector<int64_t>& image_shape,
                   bool augment, bool need_train = true);

/// What images from a folder or from files go through before the model: resize to {C, H, W}'s
/// H x W, to float [C, H, W] in [0, 1], normalize every channel with `mean` and `std`.
data::TransformerPtr image_transform(const std::vector<int64_t>& image_shape, double mean = 0.5, double std = 0.5);

/// The names load_data knows, for --help.
const char* data_kinds();

}  // namespace ember::apps
