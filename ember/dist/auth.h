#pragma once
/// Authentication primitives of Ember's collective (ember/dist): HMAC-SHA256, random nonces and a
/// constant-time comparison (OpenSSL underneath), plus the proofs of the connection handshake.
///
/// Handshake (connection.h): the accepting side sends a fresh nonce; the connecting side answers with
/// its own nonce and `client_proof`; the accepting side checks it and answers with `server_proof`.
/// Each proof binds both nonces and both ranks, so a recorded answer is useless on a new connection
/// (the accepting side's nonce is new) and neither side can be impersonated without the job secret.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace ember::dist {

using Digest = std::array<uint8_t, 32>;
/// Nonces are 32 random bytes.
inline constexpr size_t kNonceBytes = 32;

/// HMAC-SHA256(key, data). Example: hmac_sha256(bytes("Jefe"), bytes("what do ya want for nothing?")).
Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data);
/// `n` bytes from OpenSSL's CSPRNG; RuntimeError if it fails.
std::vector<uint8_t> random_bytes(size_t n);
/// Equality that takes the same time wherever the first difference is (CRYPTO_memcmp).
bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b);

/// What the connecting rank sends: HMAC(secret, "ember-auth-v1 client" | server_nonce | client_nonce |
/// client_rank | server_rank), ranks as little-endian int32.
Digest client_proof(std::span<const uint8_t> secret, std::span<const uint8_t> server_nonce,
                    std::span<const uint8_t> client_nonce, int32_t client_rank, int32_t server_rank);
/// What the accepting rank answers: the same with "ember-auth-v1 server" and the roles swapped.
Digest server_proof(std::span<const uint8_t> secret, std::span<const uint8_t> server_nonce,
                    std::span<const uint8_t> client_nonce, int32_t client_rank, int32_t server_rank);

}  // namespace ember::dist
