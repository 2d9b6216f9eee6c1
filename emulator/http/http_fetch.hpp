#pragma once

#include <string>

namespace awsemu {

struct FetchedPage {
    int status = 0;  // 0: no answer; `error` says why
    std::string body;
    std::string error;
};

// Sends `method` (GET, POST, DELETE) to an http:// URL, with `body` (JSON) if any, and waits for
// the whole answer: for command-line tools (`awsemu status`, `awsemu chaos`), never for the
// server's event loop.
FetchedPage fetch_page(const std::string& url, const std::string& method = "GET",
                       const std::string& body = "");

}  // namespace awsemu
