#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awsemu {

enum class Fault { Sender, Receiver };

// One AWS error code as the wire shows it. query_code is the code the query protocol (and SQS's
// query-compatible JSON) sends when it differs from `code`, e.g.
// "AWS.SimpleQueueService.NonExistentQueue" for QueueDoesNotExist.
struct ErrorSpec {
    std::string_view code;
    int http_status;
    Fault fault = Fault::Sender;
    std::string_view query_code = {};

    std::string_view wire_query_code() const { return query_code.empty() ? code : query_code; }
};

// The one error type every layer throws for a failure a client caused; each protocol codec
// encodes it in exactly one function.
class AwsError : public std::runtime_error {
  public:
    AwsError(const ErrorSpec& spec, std::string message)
        : std::runtime_error(std::move(message)), spec_(spec) {}
    const ErrorSpec& spec() const { return spec_; }

    // Further members some protocols write beside Code and Message (S3: <Key>, <BucketName>).
    AwsError& with(std::string name, std::string value) {
        details_.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    const std::vector<std::pair<std::string, std::string>>& details() const { return details_; }
    // Response headers the error answer carries (S3: x-amz-delete-marker on a deleted key).
    AwsError& with_header(std::string name, std::string value) {
        headers_.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

  private:
    ErrorSpec spec_;
    std::vector<std::pair<std::string, std::string>> details_;
    std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace awsemu
