#include "emulator/auth/crypto.hpp"
#include "services/sqs/sqs_errors.hpp"
#include "services/sqs/sqs_input.hpp"
#include "services/sqs/sqs_service.hpp"

// Message move tasks (StartMessageMoveTask and friends): messages go from a dead-letter queue
// back to their source queues (or to a chosen queue), at the task's rate on the scheduler, with
// progress kept in the store so that a restart resumes them.
namespace awsemu::sqs {
namespace {

// AWS's "system optimized" rate when the caller sets none.
constexpr int kDefaultMovesPerSecond = 500;
// Moves are spread over each second in steps no shorter than this, so that a rate holds over
// any stretch of time, not only per whole second.
constexpr auto kShortestStep = std::chrono::milliseconds(100);

// One step of a task moving `rate` messages a second: how long it lasts and how many it moves.
std::pair<Duration, int> step_of(int rate) {
    const auto even = std::chrono::duration_cast<Duration>(std::chrono::seconds(1)) / rate;
    const Duration step = std::max<Duration>(even, kShortestStep);
    const auto per_step = static_cast<int>(rate * std::chrono::duration<double>(step).count());
    return {step, std::max(1, per_step)};
}

[[noreturn]] void source_not_found() {
    throw AwsError(errors::ResourceNotFoundException,
                   "The resource that you specified for the SourceArn parameter doesn't exist.");
}

nlohmann::json task_json(const MoveTask& task) {
    nlohmann::json json = {{"Status", task.status},
                           {"SourceArn", task.source_arn},
                           {"ApproximateNumberOfMessagesMoved", task.moved},
                           {"ApproximateNumberOfMessagesToMove", task.to_move},
                           {"StartedTimestamp", task.started_ms}};
    if (task.status == "RUNNING") {
        json["TaskHandle"] = task.task_handle;
    }
    if (task.destination_arn) {
        json["DestinationArn"] = *task.destination_arn;
    }
    if (task.max_per_second) {
        json["MaxNumberOfMessagesPerSecond"] = *task.max_per_second;
    }
    if (task.failure_reason) {
        json["FailureReason"] = *task.failure_reason;
    }
    return json;
}

}  // namespace

nlohmann::json SqsService::start_message_move_task(const RequestContext& ctx, const Params& in) {
    const std::string source_arn = in.required_string("SourceArn");
    const auto source = parse_queue_arn(source_arn);
    if (!source || source->account_id != ctx.scope.account_id ||
        source->region != ctx.scope.region) {
        source_not_found();
    }
    const auto queue = store_.find_queue(source->account_id, source->region, source->name);
    if (!queue) {
        source_not_found();
    }
    if (store_.dead_letter_source_names(ctx.scope, source_arn, "", 1).empty()) {
        throw AwsError(errors::InvalidParameterValue,
                       "Source queue must be configured as a Dead Letter Queue.");
    }
    const auto destination_arn = in.optional_string("DestinationArn");
    if (destination_arn) {
        const auto destination = parse_queue_arn(*destination_arn);
        if (!destination ||
            !store_.find_queue(destination->account_id, destination->region, destination->name)) {
            throw AwsError(errors::ResourceNotFoundException,
                           "The resource that you specified for the DestinationArn parameter "
                           "doesn't exist.");
        }
    }
    const auto rate = bounded_int(in, "MaxNumberOfMessagesPerSecond", 1, 500);
    for (const auto& task : store_.move_tasks_of(ctx.scope, source_arn, 10)) {
        if (task.status == "RUNNING") {
            throw AwsError(errors::InvalidParameterValue,
                           "There is already a task running. Only one active task is allowed for "
                           "a source queue arn at a given time.");
        }
    }
    MoveTask task;
    task.task_handle = auth::base64_encode(
        nlohmann::json{{"taskId", auth::fast_uuid_v4()}, {"sourceArn", source_arn}}.dump());
    task.account_id = ctx.scope.account_id;
    task.region = ctx.scope.region;
    task.source_arn = source_arn;
    task.destination_arn = destination_arn;
    if (rate) {
        task.max_per_second = *rate;
    }
    task.status = "RUNNING";
    task.to_move = store_.count_messages(queue->id);
    task.started_ms = request_ms(ctx);
    store_.insert_move_task(task);
    scheduler_.post([this, handle = task.task_handle] { run_move_task(handle); });
    return {{"TaskHandle", task.task_handle}};
}

nlohmann::json SqsService::list_message_move_tasks(const RequestContext& ctx, const Params& in) {
    const std::string source_arn = in.required_string("SourceArn");
    const auto source = parse_queue_arn(source_arn);
    if (!source || !store_.find_queue(ctx.scope.account_id, ctx.scope.region, source->name)) {
        source_not_found();
    }
    const int limit = bounded_int(in, "MaxResults", 1, 10).value_or(1);
    nlohmann::json results = nlohmann::json::array();
    for (const auto& task : store_.move_tasks_of(ctx.scope, source_arn, limit)) {
        results.push_back(task_json(task));
    }
    return {{"Results", std::move(results)}};
}

nlohmann::json SqsService::cancel_message_move_task(const RequestContext& ctx, const Params& in) {
    const std::string handle = in.required_string("TaskHandle");
    const auto decoded = auth::base64_decode(handle);
    if (!decoded || !nlohmann::json::parse(*decoded, nullptr, false).contains("taskId")) {
        throw AwsError(errors::InvalidParameterValue, "Value for parameter TaskHandle is invalid.");
    }
    auto task = store_.find_move_task(handle);
    if (!task || task->account_id != ctx.scope.account_id || task->region != ctx.scope.region) {
        throw AwsError(errors::ResourceNotFoundException, "Task does not exist.");
    }
    if (task->status != "RUNNING") {
        throw AwsError(errors::UnsupportedOperation, "Only active tasks can be cancelled.");
    }
    task->status = "CANCELLED";
    store_.update_move_task(*task);
    return {{"ApproximateNumberOfMessagesMoved", task->moved}};
}

void SqsService::resume_move_tasks() {
    auto transaction = db_.transaction();
    for (const auto& task : store_.running_move_tasks()) {
        scheduler_.post([this, handle = task.task_handle] { run_move_task(handle); });
    }
    transaction.commit();
}

// One step of a task; schedules the next while there is more to move.
void SqsService::run_move_task(std::string handle) {
    auto transaction = db_.transaction();
    auto task = store_.find_move_task(handle);
    if (!task || task->status != "RUNNING") {
        return;
    }
    const std::int64_t now = to_epoch_ms(clock_.now());
    const auto fail = [&](std::string reason) {
        task->status = "FAILED";
        task->failure_reason = std::move(reason);
        store_.update_move_task(*task);
        transaction.commit();
    };
    const auto source_arn = parse_queue_arn(task->source_arn);
    const auto source =
        store_.find_queue(source_arn->account_id, source_arn->region, source_arn->name);
    if (!source) {
        return fail("AWS.SimpleQueueService.NonExistentQueue");
    }
    const auto [step, batch] =
        step_of(static_cast<int>(task->max_per_second.value_or(kDefaultMovesPerSecond)));
    const auto messages = store_.ready_messages(source->id, now, batch);
    for (const auto& message : messages) {
        const auto& destination_arn =
            task->destination_arn ? task->destination_arn : message.dead_letter_source_arn;
        const auto parsed = destination_arn ? parse_queue_arn(*destination_arn) : std::nullopt;
        const auto destination =
            parsed ? store_.find_queue(parsed->account_id, parsed->region, parsed->name)
                   : std::nullopt;
        if (!destination) {
            return fail("AWS.SimpleQueueService.NonExistentQueue");
        }
        store_.move_message(source->id, message.seq, destination->id, now,
                            now + destination->settings.message_retention_period * 1000LL,
                            std::nullopt);
        long_poll_.notify(destination->id);
        ++task->moved;
    }
    const bool done =
        messages.size() < static_cast<std::size_t>(batch) || task->moved >= task->to_move;
    if (done) {
        task->status = "COMPLETED";
    }
    store_.update_move_task(*task);
    transaction.commit();
    if (!done) {
        scheduler_.at(clock_.now() + step,
                      [this, handle = std::move(handle)] { run_move_task(handle); });
    }
}

}  // namespace awsemu::sqs
