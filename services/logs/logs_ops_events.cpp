// PutLogEvents, GetLogEvents and FilterLogEvents.
#include <algorithm>
#include <charconv>
#include <limits>

#include "emulator/protocol/page_token.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/logs/filter_pattern.hpp"
#include "services/logs/logs_errors.hpp"
#include "services/logs/logs_service.hpp"

namespace awsemu::logs {
namespace {

constexpr std::int64_t kMaxEventsLimit = 10'000;
constexpr std::int64_t kNoEnd = std::numeric_limits<std::int64_t>::max();
// FilterLogEvents reads at most this many events per call and answers a nextToken to go on
// from, as AWS stops a search that runs long.
constexpr std::int64_t kMaxScannedPerFilter = 200'000;
constexpr std::int64_t kFilterBatch = 1'000;

std::string padded(std::int64_t value) {
    const std::string digits = std::to_string(value);
    return std::string(digits.size() < 19 ? 19 - digits.size() : 0, '0') + digits;
}

// GetLogEvents' tokens: "f/" (read forward from) or "b/" (read backward from) and a position,
// its timestamp and event id as two 19-digit numbers.
std::string position_token(char direction, Position at) {
    return std::string(1, direction) + "/" + padded(at.timestamp_ms) + padded(at.id);
}

struct ParsedToken {
    bool forward = true;
    Position at;
};

std::optional<std::int64_t> parse_digits(std::string_view digits) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

ParsedToken parse_position_token(std::string_view token) {
    if (token.size() != 2 + 38 || (token[0] != 'f' && token[0] != 'b') || token[1] != '/') {
        errors::invalid_next_token();
    }
    const auto timestamp = parse_digits(token.substr(2, 19));
    const auto id = parse_digits(token.substr(21, 19));
    if (!timestamp || !id) {
        errors::invalid_next_token();
    }
    return {token[0] == 'f', Position{*timestamp, *id}};
}

std::int64_t events_limit(const Params& params) {
    const std::int64_t limit = params.optional_int("limit").value_or(kMaxEventsLimit);
    validate_limit(limit, kMaxEventsLimit);
    return limit;
}

std::vector<NewEvent> read_input_events(const Params& params, const ParamErrors& param_errors) {
    const nlohmann::json& list = params.required_array("logEvents");
    std::vector<NewEvent> events;
    events.reserve(list.size());
    for (const auto& item : list) {
        const Params event(item, param_errors);
        const auto timestamp = event.optional_int("timestamp");
        if (!timestamp) {
            throw AwsError(errors::InvalidParameterException,
                           "1 validation error detected: Value null at 'logEvents." +
                               std::to_string(events.size() + 1) +
                               ".member.timestamp' failed to satisfy constraint: Member must "
                               "not be null");
        }
        events.push_back({*timestamp, event.required_string("message")});
    }
    return events;
}

nlohmann::json output_event(const LogEvent& event) {
    nlohmann::json out = nlohmann::json::object();
    out["timestamp"] = event.timestamp_ms;
    out["message"] = event.message;
    out["ingestionTime"] = event.ingestion_ms;
    return out;
}

}  // namespace

nlohmann::json LogsService::put_log_events(const RequestContext& context, const Params& params) {
    const Scope& scope = context.scope;
    const auto group_name = params.required_string("logGroupName");
    const auto stream_name = params.required_string("logStreamName");
    ParamErrors param_errors;
    param_errors.missing = errors::InvalidParameterException;
    const auto events = read_input_events(params, param_errors);
    validate_group_name(group_name);
    validate_stream_name(stream_name);
    check_batch(events);
    const LogGroup group = require_group_named(scope, group_name);
    require_stream(scope, group_name, stream_name);
    const std::int64_t now = to_epoch_ms(context.now());
    const BatchVerdict verdict = judge_batch(events, now, group.retention_days);
    const std::int64_t sequence = store_.append_events(
        scope, group_name, stream_name, events, verdict.first_accepted, verdict.end_accepted, now);
    nlohmann::json out = {{"nextSequenceToken", upload_sequence_token(sequence)}};
    nlohmann::json rejected = nlohmann::json::object();
    if (verdict.too_new_start) {
        rejected["tooNewLogEventStartIndex"] = *verdict.too_new_start;
    }
    if (verdict.too_old_end) {
        rejected["tooOldLogEventEndIndex"] = *verdict.too_old_end;
    }
    if (verdict.expired_end) {
        rejected["expiredLogEventEndIndex"] = *verdict.expired_end;
    }
    if (!rejected.empty()) {
        out["rejectedLogEventsInfo"] = std::move(rejected);
    }
    return out;
}

nlohmann::json LogsService::get_log_events(const RequestContext& context, const Params& params) {
    const Scope& scope = context.scope;
    const LogGroup group = require_group(scope, params);
    const auto stream_name = params.required_string("logStreamName");
    require_stream(scope, group.name, stream_name);
    const std::int64_t limit = events_limit(params);
    const std::int64_t start =
        std::max<std::int64_t>(params.optional_int("startTime").value_or(0), 0);
    const std::int64_t end =
        std::max<std::int64_t>(params.optional_int("endTime").value_or(kNoEnd), 0);
    const auto token = params.optional_string("nextToken");
    std::optional<ParsedToken> parsed;
    if (token && !token->empty()) {
        parsed = parse_position_token(*token);
    }
    const bool forward =
        parsed ? parsed->forward : params.optional_bool("startFromHead").value_or(false);

    std::vector<LogEvent> events;
    std::string forward_token;
    std::string backward_token;
    if (forward) {
        Position after{start, 0};
        if (parsed && (parsed->at.timestamp_ms > start ||
                       (parsed->at.timestamp_ms == start && parsed->at.id > 0))) {
            after = parsed->at;
        }
        events = store_.stream_events_after(scope, group.name, stream_name, after, end, limit);
        if (events.empty()) {
            // Nothing new: the same forward token again, which is how readers know to stop.
            forward_token = parsed ? *token : position_token('f', after);
            backward_token = position_token('b', Position{after.timestamp_ms, after.id + 1});
        }
    } else {
        Position before{end, 0};
        if (parsed && (parsed->at.timestamp_ms < end)) {
            before = parsed->at;
        }
        events = store_.stream_events_before(scope, group.name, stream_name, before, start, limit);
        std::reverse(events.begin(), events.end());
        if (events.empty()) {
            backward_token = parsed ? *token : position_token('b', before);
            // Nothing in the window: reading forward from its start sees whatever comes (an
            // empty stream read tail first, then followed).
            forward_token =
                parsed ? position_token('f', Position{before.timestamp_ms,
                                                      std::max<std::int64_t>(before.id - 1, 0)})
                       : position_token('f', Position{start, 0});
        }
    }
    if (!events.empty()) {
        forward_token = position_token('f', {events.back().timestamp_ms, events.back().id});
        backward_token = position_token('b', {events.front().timestamp_ms, events.front().id});
    }
    nlohmann::json out = {{"events", nlohmann::json::array()},
                          {"nextForwardToken", forward_token},
                          {"nextBackwardToken", backward_token}};
    for (const auto& event : events) {
        out["events"].push_back(output_event(event));
    }
    return out;
}

nlohmann::json LogsService::filter_log_events(const RequestContext& context, const Params& params) {
    const Scope& scope = context.scope;
    const LogGroup group = require_group(scope, params);
    const auto names = params.string_list("logStreamNames");
    const auto prefix = params.optional_string("logStreamNamePrefix");
    if (!names.empty() && prefix) {
        throw AwsError(errors::InvalidParameterException,
                       "logStreamNames and logStreamNamePrefix are mutually exclusive "
                       "parameters.");
    }
    if (params.has("logStreamNames") && names.empty()) {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value '[]' at 'logStreamNames' failed to "
                       "satisfy constraint: Member must have length greater than or equal to 1");
    }
    const std::int64_t limit = events_limit(params);
    const std::int64_t start =
        std::max<std::int64_t>(params.optional_int("startTime").value_or(0), 0);
    const auto end_time = params.optional_int("endTime");
    // endTime is inclusive here (GetLogEvents' is not).
    const std::int64_t end = end_time ? std::max<std::int64_t>(*end_time, -1) + 1 : kNoEnd;
    const auto pattern_text = params.optional_string("filterPattern").value_or("");
    if (pattern_text.size() > 1024) {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value at 'filterPattern' failed to satisfy "
                       "constraint: Member must have length less than or equal to 1024");
    }
    const FilterPattern pattern = FilterPattern::parse(pattern_text);
    Position after{start, 0};
    if (const auto token = decode_key_token(params.optional_string("nextToken")); !token) {
        errors::invalid_next_token();
    } else if (!token->empty()) {
        const auto slash = token->find('/');
        const auto timestamp =
            slash == std::string::npos ? std::nullopt : parse_digits(token->substr(0, slash));
        const auto id =
            slash == std::string::npos ? std::nullopt : parse_digits(token->substr(slash + 1));
        if (!timestamp || !id) {
            errors::invalid_next_token();
        }
        after = Position{*timestamp, *id};
    }
    const auto stream_wanted = [&](const std::string& stream) {
        if (prefix) {
            return stream.starts_with(*prefix);
        }
        return names.empty() || std::find(names.begin(), names.end(), stream) != names.end();
    };

    nlohmann::json events = nlohmann::json::array();
    std::int64_t matched = 0;
    std::int64_t scanned = 0;
    bool more = false;
    while (true) {
        const auto batch = store_.group_events_after(scope, group.name, after, end, kFilterBatch);
        for (const auto& event : batch) {
            after = Position{event.timestamp_ms, event.id};
            ++scanned;
            if (!stream_wanted(event.stream) || !pattern.matches(event.message)) {
                continue;
            }
            nlohmann::json out = output_event(event);
            out["logStreamName"] = event.stream;
            out["eventId"] = padded(event.timestamp_ms) + padded(event.id);
            events.push_back(std::move(out));
            if (++matched == limit) {
                break;
            }
        }
        if (matched == limit) {
            // Another page only when events remain past this one.
            more = !store_.group_events_after(scope, group.name, after, end, 1).empty();
            break;
        }
        if (static_cast<std::int64_t>(batch.size()) < kFilterBatch) {
            break;
        }
        if (scanned >= kMaxScannedPerFilter) {
            more = true;
            break;
        }
    }
    nlohmann::json out = {{"events", std::move(events)},
                          {"searchedLogStreams", nlohmann::json::array()}};
    if (more) {
        out["nextToken"] =
            encode_key_token(std::to_string(after.timestamp_ms) + "/" + std::to_string(after.id));
    }
    return out;
}

}  // namespace awsemu::logs
