#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

// CloudWatch Logs' filter pattern syntax, as FilterLogEvents applies it to event messages:
//   terms        ERROR "connection refused"   every term or quoted phrase, case-sensitive
//                ?ERROR ?WARN                 any of the ?-terms
//                ERROR -healthz               none of the -terms
//   JSON         { $.level = "error" && ($.status >= 500 || $.user.id != 1) }
//                strings may hold * wildcards; IS NULL, NOT EXISTS, IS TRUE, IS FALSE
//   space-delimited
//                [ip, user, ..., status = 5*, size > 1000]   fields split on spaces, with
//                "quoted" and [bracketed] fields kept whole; ... matches any number of fields
// An empty pattern matches every message.
namespace awsemu::logs {

class FilterPattern {
  public:
    // Throws AwsError InvalidParameterException for a pattern it cannot read.
    static FilterPattern parse(std::string_view text);

    FilterPattern();
    FilterPattern(FilterPattern&&) noexcept;
    FilterPattern& operator=(FilterPattern&&) noexcept;
    ~FilterPattern();

    bool matches(std::string_view message) const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

// Glob matching with '*' standing for any run of characters (filter values).

}  // namespace awsemu::logs
