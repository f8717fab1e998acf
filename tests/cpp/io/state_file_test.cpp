// StateDict files: every value kind and tensor dtype round-trips in order, deterministically.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/gradient_check.h"
#include "ember/io/model_file.h"
#include "ember/io/state_file.h"
#include "io/io_test_util.h"

namespace ember {
namespace {

StateDict sample_state() {
  Generator g(5);
  StateDict s;
  s.set("epoch", int64_t{3});
  s.set("iteration", std::numeric_limits<int64_t>::min());
  s.set("lr", 0.1);
  s.set("best", std::numeric_limits<double>::infinity());
  s.set("undefined_metric", std::numeric_limits<double>::quiet_NaN());
  s.set("tiny", 4.9406564584124654e-324);
  s.set("optim.name", std::string("sgd \xc3\xa9t\xc3\xa9"));  // UTF-8
  s.set("empty", std::string());
  s.set("optim.velocity", Tensor::randn({3, 4}, DType::Float32, &g));
  s.set("optim.velocity64", Tensor::randn({2, 2, 2}, DType::Float64, &g));
  s.set("data.order", Tensor::from_vector<int64_t>({5, 1, 4, 2, 3, 0}, {6}));
  s.set("rng.state", Tensor::from_vector<int32_t>({-1, 7}, {2}));
  s.set("mask", Tensor::from_vector<uint8_t>({0, 1, 255}, {3}));
  s.set("half", Tensor::randn({5}, DType::Float32, &g).to(DType::BFloat16));
  s.set("scalar", Tensor::scalar(2.5));
  s.set("none", Tensor::zeros({0, 3}));
  s.set("strided", Tensor::randn({4, 3}, DType::Float32, &g).t());  // saved contiguous
  return s;
}

void expect_same(const StateDict& a, const StateDict& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const auto& [ka, va] = a.items()[i];
    const auto& [kb, vb] = b.items()[i];
    SCOPED_TRACE(ka);
    EXPECT_EQ(ka, kb);
    ASSERT_EQ(va.index(), vb.index());
    if (const Tensor* t = std::get_if<Tensor>(&va)) {
      const Tensor& u = std::get<Tensor>(vb);
      EXPECT_EQ(t->dtype(), u.dtype());
      EXPECT_EQ(t->shape(), u.shape());
      EXPECT_EQ(t->to_vector(), u.to_vector());
    } else if (const double* d = std::get_if<double>(&va)) {
      const double e = std::get<double>(vb);
      EXPECT_TRUE(*d == e || (std::isnan(*d) && std::isnan(e))) << *d << " vs " << e;
    } else if (const int64_t* i = std::get_if<int64_t>(&va)) {
      EXPECT_EQ(*i, std::get<int64_t>(vb));
    } else {
      EXPECT_EQ(std::get<std::string>(va), std::get<std::string>(vb));
    }
  }
}

TEST(StateFile, EveryKindRoundTrips) {
  const StateDict s = sample_state();
  const std::string bytes = io::save_state_to_bytes(s);
  const StateDict back = io::load_state_from_bytes(bytes, "state.ember");
  expect_same(s, back);
  EXPECT_TRUE(io::save_state_to_bytes(back) == bytes);
}

TEST(StateFile, OnDiskAndInfo) {
  test::TempDir dir;
  const std::string path = dir.file("state.ember");
  io::save_state(sample_state(), path);
  expect_same(sample_state(), io::load_state(path));
  const io::ModelInfo info = io::read_model_info(path);
  EXPECT_EQ(info.kind, "state");
  EXPECT_EQ(info.tree, "");
  EXPECT_EQ(info.num_parameters, 0);
  ASSERT_EQ(info.tensors.size(), 9u);
  EXPECT_EQ(info.tensors[0].name, "optim.velocity");
  EXPECT_EQ(info.tensors[0].nbytes, 48u);
}

TEST(StateFile, EmptyStateDict) {
  const StateDict back = io::load_state_from_bytes(io::save_state_to_bytes(StateDict()), "empty.ember");
  EXPECT_TRUE(back.empty());
}

TEST(StateFile, Errors) {
  StateDict s;
  s.set("epoch", int64_t{1});
  s.set("w", Tensor::ones({2}));
  const std::string f = io::save_state_to_bytes(s);
  auto edit = [&](auto fn) { return io::load_state_from_bytes(test::rewrite_header(f, fn), "s.ember"); };
  using nlohmann::json;
  EXPECT_THROW_WITH(edit([](json& h) { h["state"][0]["type"] = "complex"; }), FormatError,
                    "[io] s.ember: state 'epoch' has unknown type 'complex'");
  EXPECT_THROW_WITH(edit([](json& h) { h["state"][0]["value"] = "one"; }), FormatError,
                    "state 'epoch' must be an integer, got string");
  EXPECT_THROW_WITH(edit([](json& h) { h["state"][1]["key"] = "epoch"; }), FormatError, "the key 'epoch' appears twice");
  EXPECT_THROW_WITH(edit([](json& h) { h["state"][1]["tensor"] = 1; }), FormatError,
                    "state 'w' refers to tensor 1, but the file lists 1 tensors");
  EXPECT_THROW_WITH(edit([](json& h) { h["state"][1]["key"] = "v"; }), FormatError,
                    "state 'v' refers to tensor 'w': expected its own tensor named 'v'");
  EXPECT_THROW_WITH(io::load_module_from_bytes(f, "s.ember"), FormatError,
                    "the file holds 'state', not a model. Hint: read state files with io::load_state");
  StateDict bad;
  bad.set("k", std::string("\xff"));
  EXPECT_THROW_WITH(io::save_state_to_bytes(bad), ValueError, "UTF-8");
}

}  // namespace
}  // namespace ember
