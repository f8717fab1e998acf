#pragma once
#include <limits>

#include "ember/nn/container.h"

namespace ember::nn {

/// Applies one module to every element of the input Table: output[i] = module(input[i]), with
/// the same weights for every element; parameter gradients accumulate over the elements.
/// BigDL: MapTable.
///
/// BigDL clones the module once per element (the clones share weights). Ember runs the single
/// module once per element instead and keeps a copy of each element's output and grad_input.
/// Because a module keeps state from its last forward (saved inputs, masks), backward re-runs
/// forward on element i before element i's backward (elements go last to first, so the last
/// element, whose state is still current, needs no re-run). This is exact for deterministic
/// modules; a module that draws random numbers in forward (Dropout in training mode) or updates
/// statistics there (BatchNorm in training mode) sees an extra forward per element: use a
/// ParallelTable of separate modules for those.
///
/// Example:
///   MapTable shared(std::make_shared<Linear>(LinearOptions{.in_features = 4, .out_features = 2}));
///   const Table& ys = shared.forward(Table{x0, x1, x2}).table();   // each [N, 4] -> [N, 2]
class MapTable final : public Container {
 public:
  static constexpr std::string_view kTypeName = "nn.MapTable";
  /// An empty MapTable; set its module with add().
  MapTable() = default;
  /// Maps `module` over the input table.
  explicit MapTable(ModulePtr module);
  std::string_view type_name() const override { return kTypeName; }

  /// Sets the module (BigDL's MapTable.add); ValueError when it has one already.
  MapTable& add(ModulePtr module);
  /// The mapped module (nullptr when none yet).
  ModulePtr module() const { return size() ? get(0) : nullptr; }

  /// Output: Table{module(input[0]), module(input[1]), ...} (copies, owned by the MapTable).
  /// ValueError without a module, TypeError when input is not a Table.
  const Activity& update_output(const Activity& input) override;
  /// Table{grad_input of element i}; re-runs forward per element as described above.
  const Activity& update_grad_input(const Activity& input, const Activity& grad_output) override;
  /// Accumulates the module's parameter gradients over every element.
  void acc_grad_parameters(const Activity& input, const Activity& grad_output) override;
  /// The module's backward once per element (last element first), after restoring its state.
  const Activity& backward(const Activity& input, const Activity& grad_output) override;

 private:
  static constexpr size_t kNone = std::numeric_limits<size_t>::max();
  void check_module() const;
  /// TypeError/ShapeError unless grad_output is a Table as long as input.
  void check_grad_output(const Table& input, const Activity& grad_output) const;
  /// Makes the module hold element i's forward state.
  void restore_state(const Table& input, size_t i);
  Table& grad_table(size_t n);

  size_t state_of_ = kNone;  // element whose forward the module ran last
  bool state_has_grad_ = false;  // ... and whose update_grad_input ran after that forward
};

}  // namespace ember::nn
