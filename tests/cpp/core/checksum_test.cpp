#include "ember/core/checksum.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ember {
namespace {

TEST(Crc32c, KnownVectors) {
  // RFC 3720 (iSCSI) appendix B.4 test vectors.
  std::vector<unsigned char> zeros(32, 0), ones(32, 0xff), inc(32);
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<unsigned char>(i);
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8a9136aau);
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62a8ab43u);
  EXPECT_EQ(crc32c(inc.data(), inc.size()), 0x46dd794eu);
  std::string digits = "123456789";
  EXPECT_EQ(crc32c(digits.data(), digits.size()), 0xe3069283u);
}

TEST(Crc32c, StreamingEqualsOneShot) {
  std::string s;
  for (int i = 0; i < 1000; ++i) s.push_back(static_cast<char>(i * 7 + 3));
  uint32_t whole = crc32c(s.data(), s.size());
  for (size_t cut : {0ul, 1ul, 7ul, 8ul, 9ul, 500ul, 999ul, 1000ul}) {
    uint32_t part = crc32c(s.data(), cut);
    EXPECT_EQ(crc32c(s.data() + cut, s.size() - cut, part), whole) << "cut at " << cut;
  }
}

TEST(Crc32c, MaskRoundTrip) {
  for (uint32_t v : {0u, 1u, 0xdeadbeefu, 0xffffffffu}) EXPECT_EQ(unmask_crc32c(mask_crc32c(v)), v);
  EXPECT_NE(mask_crc32c(0x12345678u), 0x12345678u);
}

}  // namespace
}  // namespace ember
