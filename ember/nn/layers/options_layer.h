#pragma once
/// OptionsLayer: the members every layer with an options struct repeats (`Options`, `options()`,
/// `config()`, `extra_repr()`, `type_name()`), written once. A layer derives from
/// `OptionsLayer<Self, SelfOptions, Base>` and declares `kTypeName` itself.
///
/// Example:
///   class ELU final : public OptionsLayer<ELU, ELUOptions, Activation> {
///    public:
///     static constexpr std::string_view kTypeName = "nn.ELU";
///     explicit ELU(ELUOptions options = {});
///   };

#include <utility>

#include "ember/nn/module.h"

namespace ember::nn {

/// Base supplying the options plumbing for `Derived` (which defines `kTypeName`). `Base` is the
/// module base (TensorModule by default); extra constructor arguments are forwarded to it.
template <class Derived, class Opts, class Base = TensorModule>
class OptionsLayer : public Base {
 public:
  using Options = Opts;
  std::string_view type_name() const override { return Derived::kTypeName; }
  Config config() const override { return to_config(options_); }
  std::string extra_repr() const override { return options_repr(options_); }
  const Opts& options() const { return options_; }

 protected:
  template <class... Args>
  explicit OptionsLayer(Opts options, Args&&... base_args)
      : Base(std::forward<Args>(base_args)...), options_(std::move(options)) {}
  Opts options_;
};

}  // namespace ember::nn
