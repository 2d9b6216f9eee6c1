#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

// MD5 of several inputs at once. One MD5 is a chain of dependent 32-bit steps that leaves most
// of a core idle; eight run side by side in the lanes of AVX2 registers for about the time one
// takes alone. A server hashing the bodies of many small uploads gains most of a hash per body.
namespace awsemu::auth {

using Md5Digest = std::array<unsigned char, 16>;

// The MD5 of each input, in order, exactly as one-by-one hashing answers it. Inputs run eight
// at a time where the CPU has AVX2; otherwise, and for a lone input, one by one (OpenSSL).
std::vector<Md5Digest> md5_each(std::span<const std::string_view> inputs);

}  // namespace awsemu::auth
