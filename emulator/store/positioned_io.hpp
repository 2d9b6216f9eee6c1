#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Whole reads and writes at a file offset, for the stores that keep bytes in files of their own
// beside SQLite (S3's body pack, SQS's message log): short transfers are continued and
// EINTR retried.
namespace awsemu {

// Writes all of `bytes` at `offset`. Throws StoreError naming `path`.
void write_all_at(int fd, std::string_view bytes, std::uint64_t offset, const std::string& path);
// Fills `into` (its size says how much) from `offset`. Throws StoreError naming `path`, also
// when the file ends first.
void read_all_at(int fd, std::string& into, std::uint64_t offset, const std::string& path);

}  // namespace awsemu
