#include "ember/nn/criteria/loss_utils.h"

#include "ember/tensor/ops.h"

namespace ember::nn::detail {

void check_float_input(const Tensor& input, const char* what) {
  EMBER_CHECK(input.defined(), what, " is undefined");
  EMBER_CHECK_TYPE(input.dtype() == DType::Float32 || input.dtype() == DType::Float64, "unsupported ", what,
                   " dtype: expected float32 or float64, got ", input.dtype(),
                   input.dtype() == DType::BFloat16 ? ". Hint: convert it with .to(DType::Float32)" : "");
}

void check_regression_target(const Tensor& input, const Tensor& target) {
  check_float_input(input);
  EMBER_CHECK(target.defined(), "target is undefined");
  EMBER_CHECK_SHAPE(target.shape() == input.shape(), "target shape mismatch: expected the input's shape ",
                    input.shape(), ", got target of shape ", target.shape());
  EMBER_CHECK_TYPE(target.dtype() == input.dtype(), "target dtype mismatch: expected ", input.dtype(),
                   " like the input, got ", target.dtype(), ". Hint: convert it with target.to(DType::",
                   input.dtype() == DType::Float32 ? "Float32" : "Float64", ")");
}

void check_feature_vector(const Tensor& input, const std::vector<double>& v, const char* name) {
  if (v.empty()) return;
  EMBER_CHECK_SHAPE(input.dim() >= 1 && static_cast<int64_t>(v.size()) == input.size(-1), name, " has ", v.size(),
                    " entries: expected one per element of the input's last dimension, got input of shape ",
                    input.shape());
}

void read_values(const Tensor& t, std::vector<double>& out) {
  const Tensor c = t.contiguous();
  out.resize(static_cast<size_t>(c.numel()));
  dispatch_all(c.dtype(), "criterion target", [&]<class T>() {
    const T* p = c.data<T>();
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(p[i]);
  });
}

void check_plus_minus_one(double value, int64_t index) {
  EMBER_CHECK(value == 1.0 || value == -1.0, "target element ", index, " is ", value, ": expected 1 or -1",
              value == 0.0 ? ". Hint: use -1, not 0, for the negative class" : "");
}

void assign_scaled(Activity& dst, const Activity& src, double w) {
  if (src.is_tensor()) {
    if (!dst.is_tensor()) dst = Activity(Tensor());
    Tensor& d = dst.tensor();
    const Tensor& s = src.tensor();
    d.resize_(s.shape(), s.dtype());
    d.copy_(s);
    if (w != 1.0) mul_(d, w);
    return;
  }
  const Table& st = src.table();
  if (!dst.is_table()) dst = Activity(Table());
  Table& dt = dst.table();
  dt.resize(st.size());
  for (size_t i = 0; i < st.size(); ++i) assign_scaled(dt[i], st[i], w);
}

void add_scaled(Activity& dst, const Activity& src, double w) {
  if (src.is_tensor()) {
    Tensor& d = dst.tensor();
    EMBER_CHECK_SHAPE(d.shape() == src.tensor().shape(), "gradient shape mismatch: expected ", d.shape(), ", got ",
                      src.tensor().shape());
    add_(d, src.tensor(), w);
    return;
  }
  Table& dt = dst.table();
  const Table& st = src.table();
  EMBER_CHECK_SHAPE(dt.size() == st.size(), "gradient table size mismatch: expected ", dt.size(), " entries, got ",
                    st.size());
  for (size_t i = 0; i < st.size(); ++i) add_scaled(dt[i], st[i], w);
}

}  // namespace ember::nn::detail
