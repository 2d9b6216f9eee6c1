#include "emulator/wildcard.hpp"

#include <cctype>

namespace awsemu {
namespace {

bool same(char a, char b, bool ignore_case) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b))
                       : a == b;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, WildcardSyntax syntax) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (syntax.backslash_escape && p + 1 < pattern.size() && pattern[p] == '\\' &&
            (pattern[p + 1] == '*' || pattern[p + 1] == '?' || pattern[p + 1] == '\\') &&
            pattern[p + 1] == text[t]) {
            p += 2;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && ((syntax.question_mark && pattern[p] == '?') ||
                                          (!(syntax.backslash_escape && pattern[p] == '\\') &&
                                           same(pattern[p], text[t], syntax.ignore_case)))) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace awsemu
