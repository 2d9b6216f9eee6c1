#include "services/s3/s3_request.hpp"

#include "emulator/protocol/url_encoding.hpp"

namespace awsemu::s3 {
namespace {

// The bucket a Host header names, if it names one: the labels before "s3." or before a
// domain that is ours (localhost), as long as the host is not an IP address.
std::optional<std::string> bucket_in_host(std::string_view host) {
    host =
        host.substr(0, host.rfind(':') == std::string_view::npos ? host.size() : host.rfind(':'));
    if (host.empty() || std::isdigit(static_cast<unsigned char>(host.back()))) {
        return std::nullopt;  // an IP address, or a bare port
    }
    if (host.starts_with("s3.") || host.starts_with("s3-")) {
        return std::nullopt;
    }
    for (const std::string_view marker : {".s3.", ".s3-"}) {
        if (const auto at = host.find(marker); at != std::string_view::npos && at > 0) {
            return std::string(host.substr(0, at));
        }
    }
    for (const std::string_view suffix : {".localhost", ".localhost.localstack.cloud"}) {
        if (host.size() > suffix.size() && host.ends_with(suffix)) {
            const std::string_view bucket = host.substr(0, host.size() - suffix.size());
            // s3.localhost is the service endpoint itself, not a bucket called "s3".
            if (bucket == "s3" || bucket.starts_with("s3.") || bucket.starts_with("s3-")) {
                return std::nullopt;
            }
            return std::string(bucket);
        }
    }
    return std::nullopt;
}

}  // namespace

S3Target target_of(const HttpRequest& request) {
    S3Target target;
    std::string_view path = request.path;
    if (path.starts_with('/')) {
        path.remove_prefix(1);
    }
    if (auto bucket = bucket_in_host(request.headers.get("Host"))) {
        target.bucket = std::move(*bucket);
        target.key = percent_decode(path, /*plus_as_space=*/false);
        return target;
    }
    const auto slash = path.find('/');
    target.bucket = percent_decode(path.substr(0, slash), false);
    if (slash != std::string_view::npos) {
        target.key = percent_decode(path.substr(slash + 1), false);
    }
    return target;
}

}  // namespace awsemu::s3
