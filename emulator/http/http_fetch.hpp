#pragma once

#include <string>

namespace awsemu {

struct FetchedPage {
    int status = 0;  // 0: no answer; `error` says why
    std::string body;
    std::string error;
};

// GETs an http:// URL and waits for the whole answer: for command-line tools (`awsemu status`),
// never for the server's event loop.
FetchedPage fetch_page(const std::string& url);

}  // namespace awsemu
