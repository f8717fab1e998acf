#ifdef EMBER_USE_ONEDNN
#include "ember/tensor/kernels/onednn/common.h"

#include "ember/core/parallel.h"

namespace ember::kernels::onednn {

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& stream() {
  ember::detail::ensure_threads_initialized();
  thread_local dnnl::stream s(engine());
  return s;
}

dnnl::memory::dims to_dims(const Shape& s) { return dnnl::memory::dims(s.begin(), s.end()); }

dnnl::memory::desc plain_desc(const Shape& s) {
  using tag = dnnl::memory::format_tag;
  static constexpr tag tags[] = {tag::a, tag::a, tag::ab, tag::abc, tag::abcd, tag::abcde, tag::abcdef};
  EMBER_INTERNAL_ASSERT(s.size() >= 1 && s.size() <= 6, "plain_desc for ", s.size(), "-d shape");
  return dnnl::memory::desc(to_dims(s), dnnl::memory::data_type::f32, tags[s.size()]);
}

}  // namespace ember::kernels::onednn
#endif  // EMBER_USE_ONEDNN
