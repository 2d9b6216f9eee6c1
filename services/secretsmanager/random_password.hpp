#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace awsemu::secretsmanager {

// GetRandomPassword's options, with AWS's defaults.
struct PasswordOptions {
    std::int64_t length = 32;
    std::string exclude_characters;
    bool exclude_numbers = false;
    bool exclude_punctuation = false;
    bool exclude_uppercase = false;
    bool exclude_lowercase = false;
    bool include_space = false;
    bool require_each_included_type = true;
};

// The punctuation Secrets Manager draws from.
inline constexpr std::string_view kPasswordPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

// A password drawn uniformly from OpenSSL's CSPRNG. Throws AwsError(InvalidParameterException)
// when the options leave no characters, or too few for one of each required type.
std::string generate_random_password(const PasswordOptions& options);

}  // namespace awsemu::secretsmanager
