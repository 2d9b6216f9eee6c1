#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "emulator/store/database.hpp"

namespace awsemu {

// Rows a store reads on nearly every request (an SQS queue, an S3 bucket), by key, as last read
// from the database. The store clears the cache whenever it writes such a row; the cache clears
// itself when the database rolled writes back or was reset since it was filled, as it may hold
// a row those writes made. At most kMaxRows: beyond that it starts again (re-reading is cheap
// enough, and the bound keeps memory flat for accounts with very many rows).
template <class Row>
class RowCache {
  public:
    explicit RowCache(const Database& database) : database_(database) {}

    const Row* find(const std::string& key) {
        if (database_.epoch() != epoch_) {
            clear();
        }
        const auto it = rows_.find(key);
        return it == rows_.end() ? nullptr : &it->second;
    }

    void remember(const std::string& key, const Row& row) {
        if (rows_.size() >= kMaxRows) {
            clear();
        }
        rows_.insert_or_assign(key, row);
    }

    void clear() {
        rows_.clear();
        epoch_ = database_.epoch();
    }

    // "a\nb\nc": a key of several parts.
    static std::string key(std::string_view a, std::string_view b, std::string_view c = {}) {
        std::string key;
        key.reserve(a.size() + b.size() + c.size() + 2);
        key.append(a).append(1, '\n').append(b).append(1, '\n').append(c);
        return key;
    }

  private:
    static constexpr std::size_t kMaxRows = 10'000;

    const Database& database_;
    std::uint64_t epoch_ = 0;
    std::unordered_map<std::string, Row> rows_;
};

}  // namespace awsemu
