#pragma once
/// CRC32C (Castagnoli), the checksum of Ember's model files, checkpoints and TensorBoard records.

#include <cstddef>
#include <cstdint>

namespace ember {

/// CRC32C of `size` bytes, continuing from `crc` (pass the previous result to checksum a stream in
/// pieces; 0 to start). Uses SSE4.2's crc32 instruction when the CPU has it.
uint32_t crc32c(const void* data, size_t size, uint32_t crc = 0);

/// TensorBoard/TFRecord's masked form of a CRC32C: rotate right by 15 and add 0xa282ead8.
inline uint32_t mask_crc32c(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
/// Inverse of mask_crc32c.
inline uint32_t unmask_crc32c(uint32_t masked) {
  uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace ember
