#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace awsemu {

// How much of a streamed body (to a sink, or from a source) is in memory at once.
constexpr std::size_t kStreamChunk = 1024 * 1024;

// A kStreamChunk buffer for streaming one body, taken from a small per-thread free list: a fresh
// 256 KiB allocation per request is an mmap, 64 page faults and an munmap, which cost a small
// upload more than everything else it does. At most kKeptBuffers stay allocated per thread.
class StreamBuffer {
  public:
    StreamBuffer() {
        auto& pool = free_list();
        if (pool.empty()) {
            data_.reset(new char[kStreamChunk]);  // not zeroed: every byte is written first
        } else {
            data_ = std::move(pool.back());
            pool.pop_back();
        }
    }
    ~StreamBuffer() {
        auto& pool = free_list();
        if (pool.size() < kKeptBuffers) {
            pool.push_back(std::move(data_));
        }
    }
    StreamBuffer(const StreamBuffer&) = delete;
    StreamBuffer& operator=(const StreamBuffer&) = delete;

    char* data() { return data_.get(); }
    static constexpr std::size_t size() { return kStreamChunk; }

  private:
    static constexpr std::size_t kKeptBuffers = 8;
    static std::vector<std::unique_ptr<char[]>>& free_list() {
        thread_local std::vector<std::unique_ptr<char[]>> buffers;
        return buffers;
    }
    std::unique_ptr<char[]> data_;
};

}  // namespace awsemu
