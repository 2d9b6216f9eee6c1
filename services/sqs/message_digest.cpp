#include "services/sqs/message_digest.hpp"

#include <cstdint>

#include "emulator/auth/crypto.hpp"

namespace awsemu::sqs {
namespace {

// The transport byte that precedes a value. The SDKs pick it by which member carries the value
// (StringValue or BinaryValue), not by the data type's name, so "Number.float" is a string.
// (3 and 4 were reserved for the never-released list values.)
constexpr char kStringTransport = 1;
constexpr char kBinaryTransport = 2;

// A 4-byte big-endian length, then the bytes. SQS caps a message at 256 KiB (1 MiB with the
// newer limit), far below 4 GiB, so the length always fits.
void append_length_prefixed(std::string& out, std::string_view bytes) {
    const auto length = static_cast<std::uint32_t>(bytes.size());
    out.push_back(static_cast<char>((length >> 24) & 0xFF));
    out.push_back(static_cast<char>((length >> 16) & 0xFF));
    out.push_back(static_cast<char>((length >> 8) & 0xFF));
    out.push_back(static_cast<char>(length & 0xFF));
    out.append(bytes);
}

}  // namespace

std::string md5_of_body(std::string_view body) {
    return auth::md5_hex(body);
}

std::string md5_of_attributes(const MessageAttributes& attributes) {
    if (attributes.empty()) {
        return {};
    }
    // std::map orders names by their bytes, as the Ruby and PHP SDKs sort them; Java and
    // JavaScript sort by UTF-16 code units, which differs only between characters above U+FFFF
    // and those in U+E000..U+FFFF, and SQS allows neither in attribute names.
    std::string encoded;
    for (const auto& [name, attribute] : attributes) {
        append_length_prefixed(encoded, name);
        append_length_prefixed(encoded, attribute.data_type);
        encoded.push_back(attribute.binary ? kBinaryTransport : kStringTransport);
        append_length_prefixed(encoded, attribute.value);
    }
    return auth::md5_hex(encoded);
}

}  // namespace awsemu::sqs
