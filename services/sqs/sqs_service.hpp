#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/sqs/long_poll.hpp"
#include "services/sqs/sqs_api.hpp"
#include "services/sqs/sqs_store.hpp"

namespace awsemu::sqs {

// What ReceiveMessage was asked for, checked.
struct ReceiveRequest {
    int max_messages = 1;
    std::optional<int> visibility_timeout;
    int wait_seconds = 0;
    std::vector<std::string> system_attribute_names;
    std::vector<std::string> message_attribute_names;
    std::optional<std::string> attempt_id;
    bool polling = false;  // a long poll trying again: it counts among the queue's waiters
};

// Amazon SQS: queues, messages (standard and FIFO), long polls, dead-letter queues and message
// move tasks. Handlers take decoded parameters and answer JSON; the codecs do the wire.
class SqsService final : public SqsApi {
  public:
    // `data_dir`: where the standard queues' message log goes (empty: none; see SqsStore).
    SqsService(Database& database, const Clock& clock, Scheduler& scheduler,
               const std::string& data_dir = {});

    // SqsApi (sqs_api.cpp)
    void deliver(const RequestContext& ctx, const Delivery& delivery) override;
    bool queue_exists(const std::string& queue_arn) override;

    // Queues (sqs_service.cpp)
    nlohmann::json create_queue(const RequestContext& ctx, const Params& in);
    nlohmann::json delete_queue(const RequestContext& ctx, const Params& in);
    nlohmann::json get_queue_url(const RequestContext& ctx, const Params& in);
    nlohmann::json list_queues(const RequestContext& ctx, const Params& in);
    nlohmann::json get_queue_attributes(const RequestContext& ctx, const Params& in);
    nlohmann::json set_queue_attributes(const RequestContext& ctx, const Params& in);
    nlohmann::json purge_queue(const RequestContext& ctx, const Params& in);
    nlohmann::json tag_queue(const RequestContext& ctx, const Params& in);
    nlohmann::json untag_queue(const RequestContext& ctx, const Params& in);
    nlohmann::json list_queue_tags(const RequestContext& ctx, const Params& in);
    nlohmann::json list_dead_letter_source_queues(const RequestContext& ctx, const Params& in);
    // Permissions (sqs_ops_permissions.cpp)
    nlohmann::json add_permission(const RequestContext& ctx, const Params& in);
    nlohmann::json remove_permission(const RequestContext& ctx, const Params& in);
    // Messages (sqs_ops_messages.cpp)
    nlohmann::json send_message(const RequestContext& ctx, const Params& in);
    nlohmann::json send_message_batch(const RequestContext& ctx, const Params& in);
    void receive_message(const RequestContext& ctx, const Params& in, OperationReply reply);
    nlohmann::json delete_message(const RequestContext& ctx, const Params& in);
    nlohmann::json delete_message_batch(const RequestContext& ctx, const Params& in);
    nlohmann::json change_message_visibility(const RequestContext& ctx, const Params& in);
    nlohmann::json change_message_visibility_batch(const RequestContext& ctx, const Params& in);
    // Message move tasks (message_move_tasks.cpp)
    nlohmann::json start_message_move_task(const RequestContext& ctx, const Params& in);
    nlohmann::json list_message_move_tasks(const RequestContext& ctx, const Params& in);
    nlohmann::json cancel_message_move_task(const RequestContext& ctx, const Params& in);
    // Picks up the move tasks a previous run left running.
    void resume_move_tasks();

  private:
    // The queue the request names by its QueueUrl or, without one, by the path it was sent to.
    Queue require_queue(const RequestContext& ctx, const Params& in);
    std::string queue_url(const RequestContext& ctx, const Queue& queue) const;
    void check_redrive(const Scope& scope, const Queue* source, const std::string& source_name,
                       const AttributeMap& attributes);
    // One SendMessage (or batch entry); answers its result entry.
    nlohmann::json send_one(const RequestContext& ctx, const Queue& queue, const Params& in);
    nlohmann::json receive_now(const RequestContext& ctx, const Queue& queue,
                               const ReceiveRequest& request);
    nlohmann::json message_json(const Queue& queue, const StoredMessage& message,
                                const std::string& receipt_handle,
                                const ReceiveRequest& request) const;
    void delete_by_handle(const RequestContext& ctx, const Queue& queue,
                          const std::string& receipt_handle);
    void change_visibility(const RequestContext& ctx, const Queue& queue,
                           const std::string& receipt_handle, std::int64_t timeout);
    void run_move_task(std::string task_handle);

    Database& db_;
    SqsStore store_;
    const Clock& clock_;
    Scheduler& scheduler_;
    LongPollWaiters long_poll_;
};

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::sqs
