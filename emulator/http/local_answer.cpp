#include "emulator/http/local_answer.hpp"

#include <boost/beast/http/status.hpp>

namespace awsemu {

namespace proxy {

std::string_view load_balancer_reason(int status) {
    // Where an ALB's wording (nginx's) differs from the RFC's.
    switch (status) {
        case 503:
            return "Service Temporarily Unavailable";
        case 504:
            return "Gateway Time-out";
        case 413:
            return "Request Entity Too Large";
        case 414:
            return "Request-URI Too Large";
        default:
            break;
    }
    const auto reason =
        boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
    return reason.empty() || reason == "<unknown-status>" ? std::string_view("Unknown")
                                                          : std::string_view(reason);
}

std::string format_local_answer(const LocalAnswer& answer, unsigned version, bool keep_alive,
                                bool head_request) {
    const std::string_view reason = load_balancer_reason(answer.status);
    std::string bytes;
    bytes.reserve(128 + answer.body.size() + 64 * answer.headers.entries().size());
    bytes.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ")
        .append(std::to_string(answer.status))
        .append(" ")
        .append(reason)
        .append("\r\nServer: awselb/2.0\r\n");
    for (const auto& [name, value] : answer.headers.entries()) {
        if (ascii_iequals(name, "Content-Length") || ascii_iequals(name, "Connection") ||
            ascii_iequals(name, "Transfer-Encoding") || ascii_iequals(name, "Server")) {
            continue;
        }
        bytes.append(name).append(": ").append(value).append("\r\n");
    }
    bytes.append("Content-Length: ")
        .append(std::to_string(answer.body.size()))
        .append(keep_alive ? "\r\nConnection: keep-alive\r\n\r\n"
                           : "\r\nConnection: close\r\n\r\n");
    if (!head_request) {
        bytes.append(answer.body);
    }
    return bytes;
}

}  // namespace proxy

LocalAnswer load_balancer_error(int status) {
    const std::string title =
        std::to_string(status) + " " + std::string(proxy::load_balancer_reason(status));
    LocalAnswer answer;
    answer.status = status;
    answer.headers.add("Content-Type", "text/html");
    answer.body = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" +
                  title + "</h1></center>\r\n</body>\r\n</html>\r\n";
    return answer;
}

}  // namespace awsemu
