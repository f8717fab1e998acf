#pragma once
/// Initialisation methods for weights and biases (BigDL's InitializationMethod). A layer passes
/// the fan-in and fan-out of each parameter (BigDL's VariableFormat): for Linear fan_in =
/// in_features, for Conv2d fan_in = in_channels/groups * kH * kW.
///
/// Example:
///   conv->set_init_method(std::make_shared<Xavier>(), std::make_shared<Zeros>());

#include <memory>
#include <string>

#include "ember/tensor/random.h"
#include "ember/tensor/tensor.h"

namespace ember::nn {

/// Base of all init methods.
class InitMethod {
 public:
  virtual ~InitMethod() = default;
  /// Fills t in place.
  virtual void init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const = 0;
  virtual std::string repr() const = 0;
};

using InitMethodPtr = std::shared_ptr<const InitMethod>;

/// All zeros. BigDL: Zeros.
class Zeros final : public InitMethod {
 public:
  void init(Tensor& t, int64_t, int64_t, Generator&) const override { t.zero_(); }
  std::string repr() const override { return "Zeros()"; }
};

/// All ones. BigDL: Ones.
class Ones final : public InitMethod {
 public:
  void init(Tensor& t, int64_t, int64_t, Generator&) const override { t.fill_(1.0); }
  std::string repr() const override { return "Ones()"; }
};

/// A constant. BigDL: ConstInitMethod.
class Const final : public InitMethod {
 public:
  explicit Const(double value) : value_(value) {}
  void init(Tensor& t, int64_t, int64_t, Generator&) const override { t.fill_(value_); }
  std::string repr() const override;

 private:
  double value_;
};

/// Uniform. Without bounds: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (Torch's default); with bounds:
/// U(lower, upper). BigDL: RandomUniform.
class RandomUniform final : public InitMethod {
 public:
  RandomUniform() = default;
  RandomUniform(double lower, double upper);
  void init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const override;
  std::string repr() const override;

 private:
  bool fan_in_default_ = true;
  double lower_ = 0, upper_ = 0;
};

/// Normal(mean, stdv). BigDL: RandomNormal.
class RandomNormal final : public InitMethod {
 public:
  RandomNormal(double mean, double stdv);
  void init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const override;
  std::string repr() const override;

 private:
  double mean_, stdv_;
};

/// Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)). BigDL: Xavier.
class Xavier final : public InitMethod {
 public:
  void init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const override;
  std::string repr() const override { return "Xavier()"; }
};

/// He/MSRA normal: N(0, sqrt(2 / n)) with n = (fan_in + fan_out) / 2 when variance_norm_average
/// (BigDL's default) else fan_out. BigDL: MsraFiller.
class MsraFiller final : public InitMethod {
 public:
  explicit MsraFiller(bool variance_norm_average = true) : average_(variance_norm_average) {}
  void init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const override;
  std::string repr() const override;

 private:
  bool average_;
};

/// Bilinear upsampling kernel for a [.., .., kH, kW] deconvolution weight. BigDL: BilinearFiller.
class BilinearFiller final : public InitMethod {
 public:
  void init(Tensor& t, int64_t fan_in, int64_t fan_out, Generator& gen) const override;
  std::string repr() const override { return "BilinearFiller()"; }
};

}  // namespace ember::nn
