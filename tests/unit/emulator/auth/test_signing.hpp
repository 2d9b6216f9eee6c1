#pragma once

// Test helpers shared by unit tests that need signed requests: they sign with the verifier's own
// steps (canonical request -> string to sign -> signature), as a client would.

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "emulator/auth/sigv4.hpp"
#include "emulator/http/http_message.hpp"

namespace awsemu::testing {

// A fixed instant: 2023-11-14T22:13:20Z, ManualClock's default start.
inline constexpr const char* kTestAmzDate = "20231114T221320Z";

struct SigningKey {
    std::string access_key_id = "test";
    std::string secret = "test";
    std::string region = "us-east-1";
    std::string service = "sts";
    std::string amz_date = kTestAmzDate;
    std::string session_token;  // sent as X-Amz-Security-Token when not empty
};

inline HttpRequest make_http_request(std::string method, std::string target,
                                     std::vector<std::pair<std::string, std::string>> headers = {},
                                     std::string body = "") {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    split_target(request);
    for (auto& [name, value] : headers) {
        request.headers.add(std::move(name), std::move(value));
    }
    request.body = std::move(body);
    return request;
}

// Adds Host (when missing), X-Amz-Date, the session token and an Authorization header.
inline void sign_request(HttpRequest& request, const SigningKey& key) {
    if (!request.headers.contains("Host")) {
        request.headers.add("Host", "localhost:4566");
    }
    request.headers.set("X-Amz-Date", key.amz_date);
    auth::SigV4Request sig;
    sig.scope = {key.access_key_id, key.amz_date.substr(0, 8), key.region, key.service};
    sig.signed_headers = {"host", "x-amz-date"};
    if (!key.session_token.empty()) {
        request.headers.set("X-Amz-Security-Token", key.session_token);
        sig.signed_headers.push_back("x-amz-security-token");
    }
    sig.amz_date = key.amz_date;
    sig.session_token = key.session_token;
    const std::string signature = auth::compute_signature(
        key.secret, sig, auth::string_to_sign(sig, auth::canonical_request(request, sig)));
    std::string names;
    for (const auto& name : sig.signed_headers) {
        names += (names.empty() ? "" : ";") + name;
    }
    request.headers.set("Authorization", "AWS4-HMAC-SHA256 Credential=" + key.access_key_id + "/" +
                                             auth::scope_string(sig.scope) + ", SignedHeaders=" +
                                             names + ", Signature=" + signature);
}

// A presigned GET: the X-Amz-* parameters go into the query string, the signature last.
inline HttpRequest presigned_request(const std::string& path_and_query, const SigningKey& key,
                                     long expires_seconds) {
    std::string target = path_and_query;
    target += target.find('?') == std::string::npos ? "?" : "&";
    target += "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + key.access_key_id + "%2F" +
              key.amz_date.substr(0, 8) + "%2F" + key.region + "%2F" + key.service +
              "%2Faws4_request&X-Amz-Date=" + key.amz_date +
              "&X-Amz-Expires=" + std::to_string(expires_seconds) + "&X-Amz-SignedHeaders=host";
    // The canonical query leaves X-Amz-Signature out, so a placeholder lets the parser read the
    // rest; the real signature then replaces it.
    const HttpRequest placeholder =
        make_http_request("GET", target + "&X-Amz-Signature=00", {{"Host", "localhost:4566"}});
    const auto sig = std::get<auth::SigV4Request>(auth::parse_sigv4(placeholder));
    const std::string signature = auth::compute_signature(
        key.secret, sig, auth::string_to_sign(sig, auth::canonical_request(placeholder, sig)));
    return make_http_request("GET", target + "&X-Amz-Signature=" + signature,
                             {{"Host", "localhost:4566"}});
}

}  // namespace awsemu::testing
