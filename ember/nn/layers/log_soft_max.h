#pragma once
#include "ember/nn/layers/soft_max.h"

namespace ember::nn {

/// Options for `LogSoftMax` (the same fields as SoftMax: `dim`, default -1).
using LogSoftMaxOptions = SoftMaxOptions;

/// y = x - log(sum(exp(x))) along `dim` (numerically stable). Input of any shape with >= 1 dim,
/// output of the same shape. BigDL: LogSoftMax (BigDL normalises the last dim of 1-d/2-d input,
/// the default here).
///
/// Example:
///   auto lsm = std::make_shared<LogSoftMax>();   // then ClassNLLCriterion
class LogSoftMax final : public OptionsLayer<LogSoftMax, LogSoftMaxOptions, detail::SoftMaxBase> {
 public:
  static constexpr std::string_view kTypeName = "nn.LogSoftMax";
  explicit LogSoftMax(LogSoftMaxOptions options = {}) : OptionsLayer(options, options.dim, true) {}
};

}  // namespace ember::nn
