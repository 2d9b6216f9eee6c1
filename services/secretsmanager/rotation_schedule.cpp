// Rotation schedules (RotationRules): AutomaticallyAfterDays, or a ScheduleExpression that is
// rate(N hours|days) or an EventBridge-style cron(minutes hours day-of-month month day-of-week
// year), evaluated in UTC; Duration is the rotation window ("3h"). Used to compute
// NextRotationDate; nothing here reads a clock.
#include <array>
#include <bitset>
#include <cctype>
#include <charconv>

#include "services/secretsmanager/secretsmanager_model.hpp"

namespace awsemu::secretsmanager {
namespace {

constexpr std::int64_t kMillisecondsPerMinute = 60'000;
constexpr std::int64_t kMillisecondsPerHour = 3'600'000;
constexpr std::int64_t kMaxRotationDays = 1000;

std::optional<std::int64_t> parse_number(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

// rate(N hours) / rate(N days) as a period in milliseconds.
std::optional<std::int64_t> parse_rate(std::string_view expression) {
    if (!expression.starts_with("rate(") || !expression.ends_with(")")) {
        return std::nullopt;
    }
    const std::string_view body = trim(expression.substr(5, expression.size() - 6));
    const auto space = body.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    const auto count = parse_number(body.substr(0, space));
    const std::string_view unit = trim(body.substr(space + 1));
    if (!count || *count < 1) {
        return std::nullopt;
    }
    if (unit == "hours" || unit == "hour") {
        // Secrets Manager rotates at most every four hours.
        return *count >= 4 && *count <= 24 * kMaxRotationDays
                   ? std::optional(*count * kMillisecondsPerHour)
                   : std::nullopt;
    }
    if (unit == "days" || unit == "day") {
        return *count <= kMaxRotationDays ? std::optional(*count * kMillisecondsPerDay)
                                          : std::nullopt;
    }
    return std::nullopt;
}

// One cron field as the set of values it allows (indices up to 2199 for years).
using FieldSet = std::bitset<2200>;

struct CronField {
    int min;
    int max;
    std::array<std::string_view, 12> names;  // MON..., JAN...; empty when numeric only
    int first_name_value;
};

constexpr CronField kMinutes{0, 59, {}, 0};
constexpr CronField kHours{0, 23, {}, 0};
constexpr CronField kDaysOfMonth{1, 31, {}, 0};
constexpr CronField kMonths{
    1, 12, {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}, 1};
constexpr CronField kDaysOfWeek{1, 7, {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, 1};
constexpr CronField kYears{1970, 2199, {}, 0};

std::optional<int> parse_cron_value(std::string_view text, const CronField& field) {
    for (std::size_t i = 0; i < field.names.size(); ++i) {
        if (!field.names[i].empty() && text.size() == 3) {
            bool same = true;
            for (std::size_t c = 0; c < 3; ++c) {
                same =
                    same && std::toupper(static_cast<unsigned char>(text[c])) == field.names[i][c];
            }
            if (same) {
                return field.first_name_value + static_cast<int>(i);
            }
        }
    }
    const auto number = parse_number(text);
    if (!number || *number < field.min || *number > field.max) {
        return std::nullopt;
    }
    return static_cast<int>(*number);
}

// "*", "?", "5", "1-5", "*/15", "10/5", "1-20/2", "MON-FRI", and lists of them.
std::optional<FieldSet> parse_cron_field(std::string_view text, const CronField& field,
                                         bool question_allowed, bool& question) {
    FieldSet set;
    question = false;
    if (text == "?") {
        if (!question_allowed) {
            return std::nullopt;
        }
        question = true;
        for (int v = field.min; v <= field.max; ++v) {
            set.set(static_cast<std::size_t>(v));
        }
        return set;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string_view part = text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        int step = 1;
        std::string_view range = part;
        if (const auto slash = part.find('/'); slash != std::string_view::npos) {
            const auto parsed = parse_number(part.substr(slash + 1));
            // A step beyond the field's range would overflow the loop below.
            if (!parsed || *parsed < 1 || *parsed > field.max) {
                return std::nullopt;
            }
            step = static_cast<int>(*parsed);
            range = part.substr(0, slash);
        }
        int low = field.min;
        int high = field.max;
        if (range != "*") {
            const auto dash = range.find('-');
            const auto first = parse_cron_value(range.substr(0, dash), field);
            if (!first) {
                return std::nullopt;
            }
            low = *first;
            if (dash != std::string_view::npos) {
                const auto last = parse_cron_value(range.substr(dash + 1), field);
                if (!last || *last < low) {
                    return std::nullopt;
                }
                high = *last;
            } else if (part.find('/') == std::string_view::npos) {
                high = low;
            }
        }
        for (int v = low; v <= high; v += step) {
            set.set(static_cast<std::size_t>(v));
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return set;
}

struct Cron {
    FieldSet minutes, hours, days_of_month, months, days_of_week, years;
};

std::optional<Cron> parse_cron(std::string_view expression) {
    if (!expression.starts_with("cron(") || !expression.ends_with(")")) {
        return std::nullopt;
    }
    std::string_view body = trim(expression.substr(5, expression.size() - 6));
    std::vector<std::string_view> fields;
    while (!body.empty()) {
        const auto space = body.find(' ');
        fields.push_back(body.substr(0, space));
        body = space == std::string_view::npos ? std::string_view() : trim(body.substr(space));
    }
    if (fields.size() != 6) {
        return std::nullopt;
    }
    bool question = false;
    bool dom_question = false;
    bool dow_question = false;
    const auto minutes = parse_cron_field(fields[0], kMinutes, false, question);
    const auto hours = parse_cron_field(fields[1], kHours, false, question);
    const auto dom = parse_cron_field(fields[2], kDaysOfMonth, true, dom_question);
    const auto months = parse_cron_field(fields[3], kMonths, false, question);
    const auto dow = parse_cron_field(fields[4], kDaysOfWeek, true, dow_question);
    const auto years = parse_cron_field(fields[5], kYears, false, question);
    // Exactly one of day-of-month and day-of-week is "?", as in EventBridge.
    if (!minutes || !hours || !dom || !months || !dow || !years || dom_question == dow_question) {
        return std::nullopt;
    }
    return Cron{*minutes, *hours, *dom, *months, *dow, *years};
}

// Howard Hinnant's civil_from_days: days since 1970-01-01 -> (year, month, day).
void civil_from_days(std::int64_t z, int& year, int& month, int& day) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const auto y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(y + (month <= 2));
}

std::optional<std::int64_t> next_cron_ms(const Cron& cron, std::int64_t from_ms) {
    // The next whole minute strictly after from_ms.
    const std::int64_t start = (from_ms / kMillisecondsPerMinute + 1) * kMillisecondsPerMinute;
    const std::int64_t first_day = start / kMillisecondsPerDay;
    for (std::int64_t day = first_day; day < first_day + 366 * 5; ++day) {
        int year = 0;
        int month = 0;
        int day_of_month = 0;
        civil_from_days(day, year, month, day_of_month);
        // 1970-01-01 was a Thursday; cron counts Sunday as 1.
        const auto day_of_week = static_cast<std::size_t>(((day % 7) + 7 + 4) % 7 + 1);
        if (year > kYears.max || !cron.years.test(static_cast<std::size_t>(year)) ||
            !cron.months.test(static_cast<std::size_t>(month)) ||
            !cron.days_of_month.test(static_cast<std::size_t>(day_of_month)) ||
            !cron.days_of_week.test(day_of_week)) {
            continue;
        }
        for (std::size_t hour = 0; hour < 24; ++hour) {
            if (!cron.hours.test(hour)) {
                continue;
            }
            for (std::size_t minute = 0; minute < 60; ++minute) {
                const std::int64_t at = day * kMillisecondsPerDay +
                                        static_cast<std::int64_t>(hour) * kMillisecondsPerHour +
                                        static_cast<std::int64_t>(minute) * kMillisecondsPerMinute;
                if (cron.minutes.test(minute) && at >= start) {
                    return at;
                }
            }
        }
    }
    return std::nullopt;
}

bool valid_duration(const std::string& duration) {
    if (duration.size() < 2 || duration.back() != 'h') {
        return false;
    }
    const auto hours = parse_number(std::string_view(duration).substr(0, duration.size() - 1));
    return hours && *hours >= 1 && *hours <= 24;
}

}  // namespace

std::optional<std::string> rotation_rules_problem(const RotationRules& rules) {
    if (rules.automatically_after_days && rules.schedule_expression) {
        return "You cannot specify both rotation frequency and schedule expression together.";
    }
    if (rules.duration && !valid_duration(*rules.duration)) {
        return "The rotation window duration must be between 1h and 24h.";
    }
    if (rules.schedule_expression) {
        const std::string_view expression = trim(*rules.schedule_expression);
        if (!parse_rate(expression) && !parse_cron(expression)) {
            return "The schedule expression " + *rules.schedule_expression + " isn't valid.";
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> next_rotation_ms(const RotationRules& rules, std::int64_t from_ms) {
    if (rules.automatically_after_days) {
        return from_ms + *rules.automatically_after_days * kMillisecondsPerDay;
    }
    if (!rules.schedule_expression) {
        return std::nullopt;
    }
    const std::string_view expression = trim(*rules.schedule_expression);
    if (const auto period = parse_rate(expression)) {
        return from_ms + *period;
    }
    if (const auto cron = parse_cron(expression)) {
        return next_cron_ms(*cron, from_ms);
    }
    return std::nullopt;
}

}  // namespace awsemu::secretsmanager
