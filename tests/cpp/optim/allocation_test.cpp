// The steady-state step allocates nothing: every first-order method, a schedule, clipping and
// regularization run their third and later calls without a single operator new. The counter
// replaces the global allocation functions of this test executable.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "ember/nn/layers/linear.h"
#include "optim_test_util.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<int64_t> g_allocations{0};

void* counted_alloc(std::size_t n, std::size_t align) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = align <= alignof(std::max_align_t) ? std::malloc(n ? n : 1)
                                               : std::aligned_alloc(align, ((n ? n : 1) + align - 1) / align * align);
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n, alignof(std::max_align_t)); }
void* operator new[](std::size_t n) { return counted_alloc(n, alignof(std::max_align_t)); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace ember::optim {
namespace {

// Counts the allocations made by f.
template <class F>
int64_t allocations_in(F&& f) {
  g_allocations = 0;
  g_counting = true;
  f();
  g_counting = false;
  return g_allocations.load();
}

TEST(AllocationTest, TheCounterSeesTensorAllocations) {
  EXPECT_GT(allocations_in([] { Tensor::empty({4}); }), 0);
}

TEST(AllocationTest, SteadyStateStepsAllocateNothing) {
  const int64_t n = 100000;  // large enough for the chunked (threaded) loops
  for (const auto& c : test::method_cases()) {
    if (c.method == "lbfgs") continue;  // documented: L-BFGS allocates
    SCOPED_TRACE(c.name);
    auto method = make_optim_method(c.method, c.config);
    auto schedule = std::make_shared<SequentialSchedule>(10);
    schedule->add(std::make_shared<Warmup>(0.001), 1).add(std::make_shared<Step>(1, 0.9), 100);
    method->set_schedule(schedule);
    Tensor w = Tensor::full({n}, 0.5), g = Tensor::full({n}, 0.1);
    const Feval feval = [&](const Tensor&) { return std::pair<double, Tensor>{1.0, g}; };
    method->optimize(feval, w);
    method->optimize(feval, w);
    EXPECT_EQ(allocations_in([&] {
                method->optimize(feval, w);
                method->optimize(feval, w);
                method->record("loss", 1.0);
              }),
              0);
  }
}

TEST(AllocationTest, ClippingAndRegularizationAllocateNothing) {
  Tensor g = Tensor::full({100000}, 0.1);
  clip_by_global_norm(g, 1.0);
  clip_by_value(g, -0.1, 0.1);
  EXPECT_EQ(allocations_in([&] {
              clip_by_global_norm(g, 1.0);
              clip_by_value(g, -0.001, 0.001);
            }),
            0);
  auto fc = std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 300, .out_features = 300});
  fc->get_parameters();
  fc->set_regularizer("weight", {.l1 = 0.1, .l2 = 0.01});
  apply_regularization(*fc);
  EXPECT_EQ(allocations_in([&] { apply_regularization(*fc); }), 0);
}

}  // namespace
}  // namespace ember::optim
