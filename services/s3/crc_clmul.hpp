#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

// The bulk of a reflected CRC by carry-less multiplication (x86-64's PCLMULQDQ): 64 bytes per
// step in four independent lanes, about ten times the table-driven rate. The caller finishes
// with its table code, so this part needs no Barrett reduction.
namespace awsemu::s3 {

// Polynomials in the reflected 64-bit form: bit i holds the coefficient of x^(63 - i). A
// 32-bit CRC's values sit in the upper half.
struct ClmulFoldConstants {
    // For each stride of 128 * s bits (s = 1..4): {x^(128 s + 63) mod P, x^(128 s - 1) mod P},
    // which move the two halves of a 128-bit register that far along the message.
    std::array<std::array<std::uint64_t, 2>, 4> stride;
};

// Whether clmul_fold is to be used: this CPU can run it, and allow_clmul did not turn it off.
bool clmul_available();
// Turns clmul_fold off (or back on) for the whole process, so that the table code that CPUs
// without it run (arm64's) is tested on every CPU.
void allow_clmul(bool allowed);

// Folds `size` bytes at `data` (a multiple of 64, at least 64), read with the CRC register
// `crc` (a 32-bit one in the low bits), into 16 bytes that leave a zero register as the data
// would have left `crc`.
std::array<unsigned char, 16> clmul_fold(const ClmulFoldConstants& constants, std::uint64_t crc,
                                         const unsigned char* data, std::size_t size);

}  // namespace awsemu::s3
