#pragma once
#include <vector>

#include "ember/nn/container.h"

namespace ember::nn {

/// Options for `Concat`.
///
/// Example:
///   ConcatOptions{.dim = 1}   // join along the feature/channel dimension
struct ConcatOptions {
  /// Dimension the children's outputs are joined along, 0-based and Python style (-1 is the last).
  /// BigDL's Concat(dimension) counts from 1: BigDL Concat(2) is Ember Concat({.dim = 1}).
  int64_t dim = 1;
  template <class V>
  void visit(V&& v) {
    v("dim", dim);
  }
};

/// Applies every child to the same input and concatenates their Tensor outputs along `dim`
/// (like torch.cat). Children's outputs must agree in every size but `dim`, e.g. [N, 5] and [N, 3]
/// with dim=1 give [N, 8]. Backward hands child i its slice of grad_output and sums the children's
/// grad_inputs (so the input may be a Tensor or a Table). BigDL: Concat.
///
/// Example:
///   auto cat = std::make_shared<Concat>(ConcatOptions{.dim = 1});
///   cat->add(std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 5}))
///       .add(std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 3}));
///   const Tensor& y = cat->forward(x).tensor();   // x [N, 4] -> y [N, 8]
class Concat final : public Container {
 public:
  using Options = ConcatOptions;
  static constexpr std::string_view kTypeName = "nn.Concat";

  explicit Concat(ConcatOptions options = {});
  /// Builds with the given children.
  Concat(ConcatOptions options, std::vector<ModulePtr> modules);
  std::string_view type_name() const override { return kTypeName; }

  /// Output: the children's outputs joined along dim. ValueError without children, TypeError
  /// when a child returns a Table, ShapeError when the outputs' sizes disagree outside dim.
  const Activity& update_output(const Activity& input) override;
  /// Sum over children of child.update_grad_input(input, slice of grad_output).
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  void acc_grad_parameters(const Activity& input, const Activity& grad_output) override;
  /// Each child's backward once, last child first, then the sum of their grad_inputs.
  const Activity& backward(const Activity& input, const Activity& grad_output) override;
  /// Every child sees this container's input, so every child gets the flag.
  Module& set_propagate_back(bool propagate) override;

  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const ConcatOptions& options() const { return options_; }

 private:
  /// Checks grad_output against the last output and fills slices_ (child i's part of it).
  void slice_grad_output(const Activity& grad_output);
  /// Adds child i's grad_input into the sum (the first call of a pass copies).
  void accumulate_grad_input(size_t i, const Activity& input, const Activity& grad, bool first);

  ConcatOptions options_;
  int64_t dim_ = 0;                 // options_.dim wrapped for the last forward's outputs
  Tensor out_;                      // the joined output, reused across calls
  std::vector<int64_t> offsets_;    // start of child i along dim_
  std::vector<Activity> slices_;    // child i's part of grad_output (a view, or a copy when strided)
  Activity grad_sum_;               // sum of the children's grad_inputs (own buffer)
};

}  // namespace ember::nn
