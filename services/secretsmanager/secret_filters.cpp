// The ListSecrets / BatchGetSecretValue filters, as AWS documents them (API_Filter, "Find secrets
// in Secrets Manager"): name, tag-key, tag-value, primary-region and owning-service are
// case-sensitive prefix matches; description is a prefix match that ignores case (AWS also
// matches it word by word, as moto found by testing, so a word-prefix match counts too); all
// breaks the value into words and looks for them in the name, description, tag keys and values,
// ignoring case. A value starting with "!" negates.
#include <algorithm>
#include <cctype>

#include "emulator/ascii.hpp"
#include "services/secretsmanager/secretsmanager_model.hpp"

namespace awsemu::secretsmanager {
namespace {

enum class CharClass { Lower, Upper, Digit, Other };

CharClass classify(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 'a' && u <= 'z') {
        return CharClass::Lower;
    }
    if (u >= 'A' && u <= 'Z') {
        return CharClass::Upper;
    }
    if (u >= '0' && u <= '9') {
        return CharClass::Digit;
    }
    return CharClass::Other;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return ascii_lower(text).starts_with(ascii_lower(prefix));
}

std::vector<std::string> lower_words(std::string_view text) {
    auto words = split_words(text);
    for (auto& word : words) {
        word = ascii_lower(word);
    }
    return words;
}

// Every word of `value` begins some word of the attributes.
bool words_match(std::string_view value, const std::vector<std::string_view>& attributes) {
    std::vector<std::string> haystack;
    for (const auto attribute : attributes) {
        for (auto& word : lower_words(attribute)) {
            haystack.push_back(std::move(word));
        }
    }
    for (const auto& needle : lower_words(value)) {
        const bool found = std::any_of(haystack.begin(), haystack.end(),
                                       [&](const std::string& w) { return w.starts_with(needle); });
        if (!found) {
            return false;
        }
    }
    return true;
}

bool any_starts_with(const std::vector<std::string_view>& attributes, std::string_view value) {
    return std::any_of(attributes.begin(), attributes.end(),
                       [&](std::string_view attribute) { return attribute.starts_with(value); });
}

bool matches_value(const FilterSubject& subject, std::string_view key, std::string_view value) {
    const Secret& secret = subject.secret;
    if (key == "name") {
        return secret.name.starts_with(value);
    }
    if (key == "description") {
        if (!secret.description) {
            return false;
        }
        return starts_with_ignoring_case(*secret.description, value) ||
               (!split_words(value).empty() && words_match(value, {*secret.description}));
    }
    if (key == "tag-key" || key == "tag-value") {
        std::vector<std::string_view> attributes;
        for (const auto& tag : subject.tags) {
            attributes.push_back(key == "tag-key" ? tag.key : tag.value);
        }
        return any_starts_with(attributes, value);
    }
    if (key == "primary-region") {
        return subject.primary_region && subject.primary_region->starts_with(value);
    }
    if (key == "owning-service") {
        return secret.owning_service && secret.owning_service->starts_with(value);
    }
    if (key == "all") {
        std::vector<std::string_view> attributes{secret.name};
        if (secret.description) {
            attributes.push_back(*secret.description);
        }
        for (const auto& tag : subject.tags) {
            attributes.push_back(tag.key);
            attributes.push_back(tag.value);
        }
        return words_match(value, attributes);
    }
    return false;
}

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    CharClass previous = CharClass::Other;
    for (const char c : text) {
        const CharClass kind = classify(c);
        if (kind == CharClass::Other) {
            if (!current.empty()) {
                words.push_back(std::move(current));
                current.clear();
            }
        } else {
            const bool case_change = previous == CharClass::Lower && kind == CharClass::Upper;
            const bool digit_change = previous != CharClass::Other &&
                                      (previous == CharClass::Digit) != (kind == CharClass::Digit);
            if (!current.empty() && (case_change || digit_change)) {
                words.push_back(std::move(current));
                current.clear();
            }
            current.push_back(c);
        }
        previous = kind;
    }
    if (!current.empty()) {
        words.push_back(std::move(current));
    }
    return words;
}

bool matches_filters(const FilterSubject& subject, const std::vector<Filter>& filters) {
    for (const auto& filter : filters) {
        const bool any =
            std::any_of(filter.values.begin(), filter.values.end(), [&](const std::string& value) {
                if (value.starts_with("!")) {
                    return !matches_value(subject, filter.key, std::string_view(value).substr(1));
                }
                return matches_value(subject, filter.key, value);
            });
        if (!any) {
            return false;
        }
    }
    return true;
}

}  // namespace awsemu::secretsmanager
