#include "ember/dist/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <string_view>

#include "ember/core/error.h"

namespace ember::dist {

Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  Digest out{};
  unsigned int len = 0;
  const unsigned char* r = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
                                out.data(), &len);
  if (r == nullptr || len != out.size()) throw RuntimeError("[dist.auth] HMAC-SHA256 failed in OpenSSL");
  return out;
}

std::vector<uint8_t> random_bytes(size_t n) {
  std::vector<uint8_t> out(n);
  if (n > 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1)
    throw RuntimeError("[dist.auth] OpenSSL's random generator failed");
  return out;
}

bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

Digest proof(std::string_view label, std::span<const uint8_t> secret, std::span<const uint8_t> first_nonce,
             std::span<const uint8_t> second_nonce, int32_t first_rank, int32_t second_rank) {
  std::vector<uint8_t> msg(label.begin(), label.end());
  msg.insert(msg.end(), first_nonce.begin(), first_nonce.end());
  msg.insert(msg.end(), second_nonce.begin(), second_nonce.end());
  for (int32_t r : {first_rank, second_rank})
    for (int i = 0; i < 4; ++i) msg.push_back(static_cast<uint8_t>(static_cast<uint32_t>(r) >> (8 * i)));
  return hmac_sha256(secret, msg);
}

}  // namespace

Digest client_proof(std::span<const uint8_t> secret, std::span<const uint8_t> server_nonce,
                    std::span<const uint8_t> client_nonce, int32_t client_rank, int32_t server_rank) {
  return proof("ember-auth-v1 client", secret, server_nonce, client_nonce, client_rank, server_rank);
}

Digest server_proof(std::span<const uint8_t> secret, std::span<const uint8_t> server_nonce,
                    std::span<const uint8_t> client_nonce, int32_t client_rank, int32_t server_rank) {
  return proof("ember-auth-v1 server", secret, client_nonce, server_nonce, server_rank, client_rank);
}

}  // namespace ember::dist
