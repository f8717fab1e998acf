#include "ember/optim/validation.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "ember/core/error.h"

namespace ember::optim {
namespace {

std::string num(double v) {
  std::ostringstream os;
  os.precision(std::numeric_limits<double>::max_digits10 - 2);  // 15 digits: 0.9912, not 0.99119999...
  os << v;
  return os.str();
}

const Tensor& tensor_of(const nn::Activity& a, const std::string& method, const char* what) {
  EMBER_CHECK_TYPE(a.is_tensor(), "[", method, "] ", what, " must be a Tensor, got ", a.describe());
  return a.tensor();
}

// Computing dtypes in, double out; bfloat16 is converted once up front.
Tensor computable(const Tensor& t) { return t.dtype() == DType::BFloat16 ? t.to(DType::Float32) : t; }

template <class T>
double element(const Tensor& t, int64_t i) {
  return static_cast<double>(static_cast<const T*>(t.raw_data())[i * t.stride(0)]);
}

}  // namespace

double ValidationResult::value() const {
  return count == 0 ? std::numeric_limits<double>::quiet_NaN() : total / static_cast<double>(count);
}

void ValidationResult::merge(const ValidationResult& other) {
  if (name.empty()) {
    name = other.name;
  } else {
    EMBER_CHECK(other.name.empty() || other.name == name, "[optim.ValidationResult] cannot merge a '", other.name,
                "' result into a '", name, "' result: expected the same validation method");
  }
  total += other.total;
  count += other.count;
}

std::string ValidationResult::repr() const {
  const bool accuracy = name.size() >= 8 && name.compare(name.size() - 8, 8, "Accuracy") == 0;
  if (accuracy)
    return name + " is Accuracy(correct: " + std::to_string(std::llround(total)) + ", count: " + std::to_string(count) +
           ", accuracy: " + num(value()) + ")";
  if (name == "Loss")
    return name + " is (Loss: " + num(total) + ", count: " + std::to_string(count) + ", Average Loss: " +
           num(value()) + ")";
  return name + " is (Average score: " + num(value()) + ", count: " + std::to_string(count) + ")";
}

// ---- TopKAccuracy ---------------------------------------------------------------------------------

TopKAccuracy::TopKAccuracy(int64_t k) : k_(k) {
  EMBER_CHECK(k >= 1, "[optim.TopKAccuracy] k must be >= 1, got ", k);
}

std::string TopKAccuracy::name() const { return "Top" + std::to_string(k_) + "Accuracy"; }

ValidationResult TopKAccuracy::evaluate(const nn::Activity& output_a, const nn::Activity& target_a) {
  const std::string where = name();
  Tensor output = computable(tensor_of(output_a, where, "output"));
  const Tensor target = computable(tensor_of(target_a, where, "target"));
  EMBER_CHECK_SHAPE(output.dim() == 1 || output.dim() == 2, "[", where,
                    "] output must be [N, C] class scores or [C] for one sample, got shape ", output.shape());
  if (output.dim() == 1) output = output.unsqueeze(0);
  const int64_t n = output.size(0), c = output.size(1);
  EMBER_CHECK_SHAPE(target.numel() == n && (target.dim() <= 1 || (target.dim() == 2 && target.size(1) == 1)), "[",
                    where, "] target must hold one class index per sample: expected shape [", n, "] or [", n,
                    ", 1] for output of shape ", output.shape(), ", got ", target.shape());
  const Tensor labels = target.dim() == 2 ? target.select(1, 0) : (target.dim() == 0 ? target.unsqueeze(0) : target);
  ValidationResult r{where, 0, n};
  if (n == 0) return r;
  EMBER_CHECK_SHAPE(c >= 1, "[", where, "] output has no classes (shape ", output.shape(), ")");
  std::vector<int64_t> cls(static_cast<size_t>(n));
  dispatch_all(labels.dtype(), where, [&]<class L>() {
    for (int64_t i = 0; i < n; ++i) {
      const double v = element<L>(labels, i);
      EMBER_CHECK(v == std::floor(v), "[", where, "] target[", i, "] = ", v, " is not a whole class index");
      EMBER_CHECK_INDEX(v >= 0 && v < static_cast<double>(c), "[", where, "] target[", i, "] = ", v,
                        " is out of range: expected a 0-based class index in [0, ", c - 1, "] for output of shape ",
                        output.shape(),
                        v == static_cast<double>(c) ? ". Hint: labels count from 0 in Ember (BigDL counted from 1)" : "");
      cls[i] = static_cast<int64_t>(v);
    }
  });
  int64_t correct = 0;
  dispatch_floating(output.dtype(), where, [&]<class T>() {
    const T* p = static_cast<const T*>(output.raw_data());
    const int64_t s0 = output.stride(0), s1 = output.stride(1);
    for (int64_t i = 0; i < n; ++i) {
      const T* row = p + i * s0;
      const int64_t t = cls[i];
      const T st = row[t * s1];
      // Rank of the target: classes scoring higher, plus equal-scoring classes with a lower index.
      int64_t rank = 0;
      for (int64_t j = 0; j < c && rank < k_; ++j) {
        const T sj = row[j * s1];
        rank += (sj > st || (sj == st && j < t)) ? 1 : 0;
      }
      correct += rank < k_ ? 1 : 0;
    }
  });
  r.total = static_cast<double>(correct);
  return r;
}

// ---- Loss -----------------------------------------------------------------------------------------

Loss::Loss(std::shared_ptr<nn::Criterion> criterion) : criterion_(std::move(criterion)) {
  EMBER_CHECK(criterion_ != nullptr, "[optim.Loss] the criterion must not be null");
  for (const auto& [key, value] : criterion_->config()) {
    if (key == "size_average" && std::holds_alternative<bool>(value)) sums_ = !std::get<bool>(value);
  }
}

ValidationResult Loss::evaluate(const nn::Activity& output, const nn::Activity& target) {
  const nn::Activity* first = &output;
  while (first->is_table()) {
    EMBER_CHECK_TYPE(!first->table().empty(), "[Loss] output ", output.describe(), " holds no tensor");
    first = &first->table()[0];
  }
  const Tensor& t = tensor_of(*first, "Loss", "output");
  const int64_t n = t.dim() >= 2 ? t.size(0) : 1;
  const double loss = criterion_->forward(output, target);
  return ValidationResult{"Loss", sums_ ? loss : loss * static_cast<double>(n), n};
}

// ---- MAE ------------------------------------------------------------------------------------------

ValidationResult MAE::evaluate(const nn::Activity& output_a, const nn::Activity& target_a) {
  const Tensor output = computable(tensor_of(output_a, "MAE", "output")).contiguous();
  const Tensor target = computable(tensor_of(target_a, "MAE", "target")).contiguous();
  EMBER_CHECK_SHAPE(output.numel() == target.numel(), "[MAE] output and target must have the same number of elements: "
                    "got output shape ", output.shape(), " and target shape ", target.shape());
  const int64_t n = output.numel();
  double sum = 0;
  dispatch_all(output.dtype(), "MAE", [&]<class O>() {
    dispatch_all(target.dtype(), "MAE", [&]<class T>() {
      const O* o = static_cast<const O*>(output.raw_data());
      const T* t = static_cast<const T*>(target.raw_data());
      for (int64_t i = 0; i < n; ++i) sum += std::abs(static_cast<double>(o[i]) - static_cast<double>(t[i]));
    });
  });
  return ValidationResult{"MAE", sum, n};
}

// ---- factory --------------------------------------------------------------------------------------

ValidationMethodPtr make_validation_method(std::string_view name, std::shared_ptr<nn::Criterion> criterion) {
  std::string s(name);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (s == "loss") {
    EMBER_CHECK(criterion != nullptr, "[optim.make_validation_method] '", name,
                "' needs a criterion: pass the loss function to evaluate");
    return std::make_shared<Loss>(std::move(criterion));
  }
  if (s == "mae") return std::make_shared<MAE>();
  if (s.size() > 3 && s.compare(0, 3, "top") == 0) {
    std::string_view rest = std::string_view(s).substr(3);
    if (rest.size() > 8 && rest.substr(rest.size() - 8) == "accuracy") rest.remove_suffix(8);
    int64_t k = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), k);
    if (ec == std::errc() && ptr == rest.data() + rest.size() && k >= 1) {
      if (k == 1) return std::make_shared<Top1Accuracy>();
      if (k == 5) return std::make_shared<Top5Accuracy>();
      return std::make_shared<TopKAccuracy>(k);
    }
  }
  throw ValueError(detail::str_cat("[optim.make_validation_method] unknown validation method '", name,
                                   "': expected one of top1 (Top1Accuracy), top5 (Top5Accuracy), top<k> "
                                   "(Top<k>Accuracy), loss (Loss, with a criterion), mae (MAE)"));
}

}  // namespace ember::optim
