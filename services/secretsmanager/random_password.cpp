#include "services/secretsmanager/random_password.hpp"

#include <algorithm>
#include <vector>

#include "emulator/auth/crypto.hpp"
#include "services/secretsmanager/secretsmanager_errors.hpp"

namespace awsemu::secretsmanager {
namespace {

constexpr std::string_view kLowercase = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kUppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kDigits = "0123456789";

// Uniform integers in [0, bound) from the CSPRNG, by rejection sampling so no value is favoured.
class RandomSource {
  public:
    std::uint32_t below(std::uint32_t bound) {
        const std::uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
        while (true) {
            const std::uint32_t value = next();
            if (value < limit) {
                return value % bound;
            }
        }
    }

  private:
    std::uint32_t next() {
        if (position_ + 4 > buffer_.size()) {
            buffer_ = auth::random_bytes(1024);
            position_ = 0;
        }
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            value = (value << 8) | static_cast<unsigned char>(buffer_[position_++]);
        }
        return value;
    }

    std::string buffer_;
    std::size_t position_ = 0;
};

std::string without(std::string_view characters, std::string_view excluded) {
    std::string kept;
    for (const char c : characters) {
        if (excluded.find(c) == std::string_view::npos) {
            kept.push_back(c);
        }
    }
    return kept;
}

}  // namespace

std::string generate_random_password(const PasswordOptions& options) {
    std::vector<std::string> required;  // one character of each of these must appear
    std::string pool;
    const auto include = [&](std::string_view characters, bool excluded, bool is_type) {
        if (excluded) {
            return;
        }
        std::string kept = without(characters, options.exclude_characters);
        if (kept.empty()) {
            return;
        }
        pool += kept;
        if (is_type) {
            required.push_back(std::move(kept));
        }
    };
    include(kLowercase, options.exclude_lowercase, true);
    include(kUppercase, options.exclude_uppercase, true);
    include(kDigits, options.exclude_numbers, true);
    include(kPasswordPunctuation, options.exclude_punctuation, true);
    include(" ", !options.include_space, false);
    if (pool.empty()) {
        throw AwsError(errors::InvalidParameterException,
                       "The password can't be generated because all character types are "
                       "excluded.");
    }
    const auto length = static_cast<std::size_t>(options.length);
    if (!options.require_each_included_type) {
        required.clear();
    }
    if (length < required.size()) {
        throw AwsError(errors::InvalidParameterException,
                       "Password length is too short based on the required types.");
    }
    RandomSource random;
    std::string password;
    password.reserve(length);
    for (const auto& type : required) {
        password.push_back(type[random.below(static_cast<std::uint32_t>(type.size()))]);
    }
    while (password.size() < length) {
        password.push_back(pool[random.below(static_cast<std::uint32_t>(pool.size()))]);
    }
    // Fisher-Yates, so the required characters are not always at the front.
    for (std::size_t i = password.size(); i > 1; --i) {
        std::swap(password[i - 1], password[random.below(static_cast<std::uint32_t>(i))]);
    }
    return password;
}

}  // namespace awsemu::secretsmanager
