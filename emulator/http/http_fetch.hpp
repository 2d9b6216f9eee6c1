#pragma once

#include <string>

namespace awsemu {

struct FetchedPage {
    int status = 0;  // 0: no answer; `error` says why
    std::string body;
    std::string error;
};

// GETs an http:// URL (or POSTs nothing to it) and waits for the whole answer: for command-line
// tools (`awsemu status`, `awsemu chaos`), never for the server's event loop.
FetchedPage fetch_page(const std::string& url, bool post = false);

}  // namespace awsemu
