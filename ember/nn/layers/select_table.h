#pragma once
#include "ember/nn/module.h"

namespace ember::nn {

/// Options for `SelectTable`.
///
/// Example:
///   SelectTableOptions{.index = -1}                    // {a, b, c} -> c
struct SelectTableOptions {
  /// Entry to select, 0-based; negative counts from the end.
  int64_t index = 0;
  template <class V>
  void visit(V&& v) {
    v("index", index);
  }
};

/// Selects one entry of a Table (a Tensor or a nested Table) and outputs it as is. grad_input is
/// a Table shaped like the input: zeros everywhere (nested like each entry) except grad_output at
/// `index`. BigDL: SelectTable(index), 1-based there.
class SelectTable final : public Module {
 public:
  using Options = SelectTableOptions;
  static constexpr std::string_view kTypeName = "nn.SelectTable";

  explicit SelectTable(SelectTableOptions options = {}) : options_(options) {}
  std::string_view type_name() const override { return kTypeName; }
  const Activity& update_output(const Activity& input) override;
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const SelectTableOptions& options() const { return options_; }

 private:
  size_t resolve(const Table& input) const;
  SelectTableOptions options_;
  Activity zeros_;  // zero gradients for the entries not selected, owned here
};

}  // namespace ember::nn
