#include "ember/data/dataset.h"

#include <sstream>

#include "ember/core/error.h"

namespace ember::data {

ArrayDataSet::ArrayDataSet(Tensor features, Tensor labels) : features_(std::move(features)), labels_(std::move(labels)) {
  EMBER_CHECK(features_.defined(), "[data.ArrayDataSet] features is an undefined tensor");
  EMBER_CHECK_SHAPE(features_.dim() >= 1, "[data.ArrayDataSet] features must have a sample dimension: expected shape "
                    "[N, ...], got a 0-d tensor");
  if (labels_.defined()) {
    EMBER_CHECK_SHAPE(labels_.dim() >= 1 && labels_.size(0) == features_.size(0),
                      "[data.ArrayDataSet] features and labels disagree on the number of samples: features shape ",
                      features_.shape(), ", labels shape ", labels_.shape(), " (expected the same first dimension)");
  }
}

int64_t ArrayDataSet::size() const { return features_.size(0); }

Sample ArrayDataSet::get(int64_t index) const {
  EMBER_CHECK_INDEX(index >= 0 && index < size(), "[data.ArrayDataSet] sample index ", index,
                    " out of range: expected [0, ", size(), ")");
  if (!labels_.defined()) return Sample(features_.select(0, index));
  return Sample(features_.select(0, index), labels_.select(0, index));
}

std::string ArrayDataSet::repr() const {
  Shape f = features_.shape();
  f.erase(0);
  std::ostringstream os;
  os << "ArrayDataSet(" << size() << " samples, feature " << f << " " << features_.dtype();
  if (labels_.defined()) {
    Shape l = labels_.shape();
    l.erase(0);
    os << ", label " << l << " " << labels_.dtype();
  }
  os << ")";
  return os.str();
}

}  // namespace ember::data
