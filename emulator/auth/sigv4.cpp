#include "emulator/auth/sigv4.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <utility>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/url_encoding.hpp"

namespace awsemu::auth {
namespace {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Clients and the emulator rarely share a clock to the second; AWS allows this much skew
// everywhere it checks request times.
constexpr std::chrono::minutes kAllowedClockSkew{15};

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// value.find_first_of(", \t") without the memchr call per character that libstdc++ makes.
std::size_t separator_in(std::string_view value) {
    const auto at =
        std::find_if(value.begin(), value.end(), [](char c) { return c == ',' || is_space(c); });
    return at == value.end() ? std::string_view::npos
                             : static_cast<std::size_t>(at - value.begin());
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    while (true) {
        const auto at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) {
            return parts;
        }
        text.remove_prefix(at + 1);
    }
}

// ASCII only, as header names are: std::tolower is a library call per character.
std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

// '+' stays '+': SigV4 clients encode a space as %20, and AWS's test suite signs a literal '+'
// as %2B.
QueryPairs decode_query(std::string_view raw_query) {
    QueryPairs pairs;
    if (raw_query.empty()) {
        return pairs;  // most requests: spares split() its vector
    }
    for (const std::string_view part : split(raw_query, '&')) {
        if (part.empty()) {
            continue;
        }
        const auto eq = part.find('=');
        pairs.emplace_back(
            percent_decode(part.substr(0, eq), false),
            eq == std::string_view::npos ? "" : percent_decode(part.substr(eq + 1), false));
    }
    return pairs;
}

std::size_t count_of(const QueryPairs& pairs, std::string_view name) {
    return static_cast<std::size_t>(std::count_if(
        pairs.begin(), pairs.end(), [&](const auto& pair) { return pair.first == name; }));
}

std::optional<std::string> value_of(const QueryPairs& pairs, std::string_view name) {
    for (const auto& [key, value] : pairs) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

// "AKID/20150830/us-east-1/service/aws4_request" -> key, date, region, service, as views.
std::optional<std::array<std::string_view, 4>> credential_parts(std::string_view text) {
    // Split by hand into exactly five parts: a vector per request showed in profiles.
    std::array<std::string_view, 5> parts;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto slash = text.find('/');
        if ((slash == std::string_view::npos) != (i == parts.size() - 1)) {
            return std::nullopt;  // fewer or more than five parts
        }
        parts[i] = text.substr(0, slash);
        text.remove_prefix(slash == std::string_view::npos ? text.size() : slash + 1);
    }
    if (parts[4] != "aws4_request" || parts[1].size() != 8 || !all_digits(parts[1])) {
        return std::nullopt;
    }
    if (parts[0].empty() || parts[2].empty() || parts[3].empty()) {
        return std::nullopt;
    }
    return std::array{parts[0], parts[1], parts[2], parts[3]};
}

std::optional<CredentialScope> parse_credential(std::string_view text) {
    const auto parts = credential_parts(text);
    if (!parts) {
        return std::nullopt;
    }
    return CredentialScope{std::string((*parts)[0]), std::string((*parts)[1]),
                           std::string((*parts)[2]), std::string((*parts)[3])};
}

// No empty name in "host;x-amz-date".
bool valid_signed_headers(std::string_view text) {
    return !text.empty() && text.front() != ';' && text.back() != ';' &&
           text.find(";;") == std::string_view::npos;
}

std::optional<std::vector<std::string>> parse_signed_headers(std::string_view text) {
    if (!valid_signed_headers(text)) {
        return std::nullopt;
    }
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), ';')) + 1);
    while (true) {
        const auto semicolon = text.find(';');
        names.push_back(to_lower(text.substr(0, semicolon)));
        if (semicolon == std::string_view::npos) {
            return names;
        }
        text.remove_prefix(semicolon + 1);
    }
}

// "Fri, 24 May 2013 00:00:00 GMT" (RFC 7231 IMF-fixdate) -> "20130524T000000Z".
std::optional<std::string> http_date_to_amz_date(std::string_view text) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto comma = text.find(',');
    if (comma == std::string_view::npos) {
        return std::nullopt;
    }
    std::vector<std::string_view> fields;
    for (const std::string_view field : split(trim(text.substr(comma + 1)), ' ')) {
        if (!field.empty()) {
            fields.push_back(field);
        }
    }
    if (fields.size() != 5 || fields[4] != "GMT" || fields[0].size() > 2 ||
        !all_digits(fields[0]) || fields[2].size() != 4 || !all_digits(fields[2])) {
        return std::nullopt;
    }
    const auto month = std::find(kMonths.begin(), kMonths.end(), fields[1]);
    const std::string_view time = fields[3];
    if (month == kMonths.end() || time.size() != 8 || time[2] != ':' || time[5] != ':') {
        return std::nullopt;
    }
    const auto month_number = static_cast<int>(month - kMonths.begin()) + 1;
    std::string out(fields[2]);
    out += static_cast<char>('0' + month_number / 10);
    out += static_cast<char>('0' + month_number % 10);
    out += fields[0].size() == 1 ? "0" : "";
    out += fields[0];
    out += 'T';
    out += time.substr(0, 2);
    out += time.substr(3, 2);
    out += time.substr(6, 2);
    out += 'Z';
    if (!parse_amz_date(out)) {
        return std::nullopt;
    }
    return out;
}

// Checks shared by both forms once their fields are read.
bool complete(std::string_view signature, std::string_view amz_date, std::string_view scope_date) {
    return !signature.empty() && parse_amz_date(amz_date) && amz_date.substr(0, 8) == scope_date;
}

std::variant<SigV4Request, SigV4ParseError> finish(SigV4Request sig) {
    if (!complete(sig.signature, sig.amz_date, sig.scope.date)) {
        return SigV4ParseError::Malformed;
    }
    return sig;
}

// The Authorization header's components, unparsed; nullopt unless it is a SigV4 header with
// each of them exactly once.
struct HeaderComponents {
    std::string_view credential;
    std::string_view signed_headers;
    std::string_view signature;
};

std::optional<HeaderComponents> header_components(std::string_view value) {
    value = trim(value);
    if (!value.starts_with(kSigV4Algorithm)) {
        return std::nullopt;
    }
    value.remove_prefix(kSigV4Algorithm.size());
    if (value.empty() || !is_space(value.front())) {
        return std::nullopt;
    }

    std::optional<std::string_view> credential;
    std::optional<std::string_view> signed_headers;
    std::optional<std::string_view> signature;
    while (!value.empty()) {
        const auto end = separator_in(value);
        const std::string_view token = value.substr(0, end);
        value.remove_prefix(end == std::string_view::npos ? value.size() : end + 1);
        if (token.empty()) {
            continue;
        }
        const auto eq = token.find('=');
        if (eq == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view key = token.substr(0, eq);
        std::optional<std::string_view>* slot = key == "Credential"      ? &credential
                                                : key == "SignedHeaders" ? &signed_headers
                                                : key == "Signature"     ? &signature
                                                                         : nullptr;
        if (slot == nullptr) {
            continue;  // components AWS may add later
        }
        if (slot->has_value()) {
            return std::nullopt;
        }
        *slot = token.substr(eq + 1);
    }
    if (!credential || !signed_headers || !signature) {
        return std::nullopt;
    }
    return HeaderComponents{*credential, *signed_headers, *signature};
}

// X-Amz-Date, else the Date header in either format (an HTTP date is converted into
// `storage`); empty when there is neither.
std::string_view header_amz_date(const HttpRequest& request, std::string& storage) {
    if (const auto amz_date = request.headers.find("X-Amz-Date")) {
        return trim(*amz_date);
    }
    if (const auto date = request.headers.find("Date")) {
        const std::string_view trimmed = trim(*date);
        if (parse_amz_date(trimmed)) {
            return trimmed;
        }
        storage = http_date_to_amz_date(trimmed).value_or("");
        return storage;
    }
    return {};
}

std::variant<SigV4Request, SigV4ParseError> parse_header_auth(const HttpRequest& request,
                                                              std::string_view value) {
    const auto components = header_components(value);
    if (!components) {
        return SigV4ParseError::Malformed;
    }
    const auto scope = parse_credential(components->credential);
    auto names = parse_signed_headers(components->signed_headers);
    if (!scope || !names) {
        return SigV4ParseError::Malformed;
    }
    SigV4Request sig;
    sig.scope = *scope;
    sig.signed_headers = std::move(*names);
    sig.signature = std::string(components->signature);
    std::string converted_date;
    sig.amz_date = std::string(header_amz_date(request, converted_date));
    sig.session_token = std::string(trim(request.headers.get("X-Amz-Security-Token")));
    return finish(std::move(sig));
}

std::variant<SigV4Request, SigV4ParseError> parse_query_auth(const HttpRequest& request,
                                                             const QueryPairs& query) {
    for (const std::string_view name :
         {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature",
          "X-Amz-Date", "X-Amz-Expires", "X-Amz-Security-Token"}) {
        if (count_of(query, name) > 1) {
            return SigV4ParseError::Malformed;
        }
    }
    const auto algorithm = value_of(query, "X-Amz-Algorithm");
    const auto credential = value_of(query, "X-Amz-Credential");
    const auto signed_headers = value_of(query, "X-Amz-SignedHeaders");
    const auto signature = value_of(query, "X-Amz-Signature");
    const auto date = value_of(query, "X-Amz-Date");
    if (algorithm != kSigV4Algorithm || !credential || !signed_headers || !signature || !date) {
        return SigV4ParseError::Malformed;
    }
    const auto scope = parse_credential(*credential);
    auto names = parse_signed_headers(*signed_headers);
    if (!scope || !names) {
        return SigV4ParseError::Malformed;
    }

    SigV4Request sig;
    sig.presigned = true;
    sig.scope = *scope;
    sig.signed_headers = std::move(*names);
    sig.signature = *signature;
    sig.amz_date = *date;
    if (const auto expires = value_of(query, "X-Amz-Expires")) {
        // Seven characters are enough for any value up to the maximum and keep stol in range.
        if (!all_digits(*expires) || expires->size() > 7 ||
            std::stol(*expires) > kMaxPresignedExpirySeconds) {
            return SigV4ParseError::Malformed;
        }
        sig.expires_seconds = std::stol(*expires);
    }
    if (const auto token = value_of(query, "X-Amz-Security-Token")) {
        sig.session_token = *token;
    } else {
        sig.session_token = std::string(trim(request.headers.get("X-Amz-Security-Token")));
    }
    return finish(std::move(sig));
}

// Trimmed, with every run of whitespace inside turned into one space.
void append_canonical_value(std::string& out, std::string_view value) {
    bool pending_space = false;
    bool started = false;
    for (const char c : value) {
        if (is_space(c)) {
            pending_space = started;
            continue;
        }
        if (pending_space) {
            out.push_back(' ');
            pending_space = false;
        }
        out.push_back(c);
        started = true;
    }
}

}  // namespace

std::variant<SigV4Request, SigV4ParseError> parse_sigv4(const HttpRequest& request) {
    const auto authorization = request.headers.find("Authorization");
    const QueryPairs query = decode_query(request.raw_query);
    const bool query_signed = count_of(query, "X-Amz-Algorithm") > 0 ||
                              count_of(query, "X-Amz-Credential") > 0 ||
                              count_of(query, "X-Amz-Signature") > 0;
    if (authorization && query_signed) {
        return SigV4ParseError::Malformed;  // AWS allows only one authentication mechanism
    }
    if (authorization) {
        return parse_header_auth(request, *authorization);
    }
    if (query_signed) {
        return parse_query_auth(request, query);
    }
    return SigV4ParseError::Missing;
}

std::variant<SigV4Caller, SigV4ParseError> parse_sigv4_caller(const HttpRequest& request) {
    const auto authorization = request.headers.find("Authorization");
    if (!authorization || !request.raw_query.empty()) {
        // Unsigned, presigned or possibly signed twice: parse_sigv4 tells them apart.
        auto parsed = parse_sigv4(request);
        if (const auto* error = std::get_if<SigV4ParseError>(&parsed)) {
            return *error;
        }
        auto& scope = std::get<SigV4Request>(parsed).scope;
        return SigV4Caller{std::move(scope.access_key_id), std::move(scope.region)};
    }
    // parse_header_auth's checks, on views of the header.
    const auto components = header_components(*authorization);
    if (!components) {
        return SigV4ParseError::Malformed;
    }
    const auto scope = credential_parts(components->credential);
    std::string converted_date;
    if (!scope || !valid_signed_headers(components->signed_headers) ||
        !complete(components->signature, header_amz_date(request, converted_date), (*scope)[1])) {
        return SigV4ParseError::Malformed;
    }
    return SigV4Caller{std::string((*scope)[0]), std::string((*scope)[2])};
}

std::string scope_string(const CredentialScope& scope) {
    return scope.date + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

std::string canonical_uri(const HttpRequest& request, bool s3_style) {
    const std::string_view path = request.path;
    if (path.empty()) {
        return "/";
    }
    std::string out;
    if (s3_style) {
        // Per segment, so an encoded slash inside a key (%2F) stays encoded.
        bool first = true;
        for (const std::string_view segment : split(path, '/')) {
            if (!first) {
                out.push_back('/');
            }
            first = false;
            out += uri_encode(percent_decode(segment, false));
        }
        if (!out.starts_with('/')) {
            out.insert(out.begin(), '/');
        }
        return out;
    }

    std::vector<std::string_view> kept;
    for (const std::string_view segment : split(path, '/')) {
        if (segment.empty() || segment == ".") {
            continue;
        }
        if (segment == "..") {
            if (!kept.empty()) {
                kept.pop_back();
            }
            continue;
        }
        kept.push_back(segment);
    }
    out = "/";
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (i > 0) {
            out.push_back('/');
        }
        out += kept[i];
    }
    if (!kept.empty() && path.ends_with('/')) {
        out.push_back('/');
    }
    return uri_encode(out, true);
}

std::string canonical_query(const HttpRequest& request) {
    std::vector<std::pair<std::string, std::string>> encoded;
    for (const auto& [key, value] : decode_query(request.raw_query)) {
        if (key == "X-Amz-Signature") {
            continue;
        }
        encoded.emplace_back(uri_encode(key), uri_encode(value));
    }
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [key, value] : encoded) {
        if (!out.empty()) {
            out.push_back('&');
        }
        out += key;
        out.push_back('=');
        out += value;
    }
    return out;
}

std::string canonical_headers(const HttpRequest& request,
                              const std::vector<std::string>& signed_headers) {
    std::string out;
    for (const std::string& name : signed_headers) {
        out += name;
        out.push_back(':');
        bool first = true;
        for (const auto& [key, value] : request.headers.entries()) {
            if (!ascii_iequals(key, name)) {
                continue;
            }
            if (!first) {
                out.push_back(',');
            }
            first = false;
            append_canonical_value(out, value);
        }
        out.push_back('\n');
    }
    return out;
}

std::string payload_hash(const HttpRequest& request, const SigV4Request& sig) {
    if (const auto declared = request.headers.find("x-amz-content-sha256")) {
        return std::string(trim(*declared));
    }
    if (sig.presigned && sig.scope.service == "s3") {
        return std::string(kUnsignedPayload);
    }
    return sha256_hex(request.body);
}

std::string canonical_request(const HttpRequest& request, const SigV4Request& sig) {
    std::string out = request.method;
    out.push_back('\n');
    out += canonical_uri(request, sig.scope.service == "s3");
    out.push_back('\n');
    out += canonical_query(request);
    out.push_back('\n');
    out += canonical_headers(request, sig.signed_headers);
    out.push_back('\n');
    for (std::size_t i = 0; i < sig.signed_headers.size(); ++i) {
        if (i > 0) {
            out.push_back(';');
        }
        out += sig.signed_headers[i];
    }
    out.push_back('\n');
    out += payload_hash(request, sig);
    return out;
}

std::string string_to_sign(const SigV4Request& sig, std::string_view canonical_request) {
    std::string out(kSigV4Algorithm);
    out.push_back('\n');
    out += sig.amz_date;
    out.push_back('\n');
    out += scope_string(sig.scope);
    out.push_back('\n');
    out += sha256_hex(canonical_request);
    return out;
}

std::string signing_key(std::string_view secret, const CredentialScope& scope) {
    std::string key = hmac_sha256("AWS4" + std::string(secret), scope.date);
    key = hmac_sha256(key, scope.region);
    key = hmac_sha256(key, scope.service);
    return hmac_sha256(key, "aws4_request");
}

std::string compute_signature(std::string_view secret, const SigV4Request& sig,
                              std::string_view string_to_sign) {
    return hex_encode(hmac_sha256(signing_key(secret, sig.scope), string_to_sign));
}

SigV4Check verify_sigv4(const HttpRequest& request, const SigV4Request& sig,
                        std::string_view secret, TimePoint now) {
    const std::string expected =
        compute_signature(secret, sig, string_to_sign(sig, canonical_request(request, sig)));
    if (!constant_time_equals(expected, sig.signature)) {
        return SigV4Check::SignatureMismatch;
    }
    if (!sig.presigned) {
        return SigV4Check::Valid;
    }
    const auto signed_at = parse_amz_date(sig.amz_date);
    if (!signed_at) {
        return SigV4Check::Expired;  // no validity window can be established
    }
    const long expires = std::min(sig.expires_seconds.value_or(kMaxPresignedExpirySeconds),
                                  kMaxPresignedExpirySeconds);
    if (now < *signed_at - kAllowedClockSkew) {
        return SigV4Check::NotYetValid;
    }
    if (now > *signed_at + std::chrono::seconds(expires)) {
        return SigV4Check::Expired;
    }
    return SigV4Check::Valid;
}

std::optional<TimePoint> parse_amz_date(std::string_view text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' || !all_digits(text.substr(0, 8)) ||
        !all_digits(text.substr(9, 6))) {
        return std::nullopt;
    }
    const auto number = [&](std::size_t at, std::size_t length) {
        int value = 0;
        for (std::size_t i = at; i < at + length; ++i) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const std::chrono::year_month_day date{std::chrono::year{number(0, 4)},
                                           std::chrono::month{static_cast<unsigned>(number(4, 2))},
                                           std::chrono::day{static_cast<unsigned>(number(6, 2))}};
    const int hour = number(9, 2);
    const int minute = number(11, 2);
    const int second = number(13, 2);
    if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    return TimePoint(std::chrono::sys_days{date} + std::chrono::hours{hour} +
                     std::chrono::minutes{minute} + std::chrono::seconds{second});
}

}  // namespace awsemu::auth
