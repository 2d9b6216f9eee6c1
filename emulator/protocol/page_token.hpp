#pragma once

#include <optional>
#include <string>

// List paging as SQS and SNS do it: a NextToken is the base64 of the last key of the page
// before.
namespace awsemu {

std::string encode_key_token(const std::string& last_key);

// The last key a token names: "" without a token, nullopt for a token that is no base64 (each
// service words that refusal itself).
std::optional<std::string> decode_key_token(const std::optional<std::string>& token);

}  // namespace awsemu
