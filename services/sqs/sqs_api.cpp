#include "services/sqs/sqs_api.hpp"

#include "services/sqs/sqs_errors.hpp"
#include "services/sqs/sqs_service.hpp"

namespace awsemu::sqs {

void SqsService::deliver(const RequestContext& ctx, const Delivery& delivery) {
    const auto arn = parse_queue_arn(delivery.queue_arn);
    const auto queue =
        arn ? store_.find_queue(arn->account_id, arn->region, arn->name) : std::nullopt;
    if (!queue) {
        throw AwsError(errors::QueueDoesNotExist, "The specified queue does not exist.");
    }
    nlohmann::json input = {{"MessageBody", delivery.body}};
    if (!delivery.attributes.empty()) {
        input["MessageAttributes"] = message_attributes_json(delivery.attributes);
    }
    if (delivery.group_id) {
        input["MessageGroupId"] = *delivery.group_id;
    }
    if (delivery.deduplication_id) {
        input["MessageDeduplicationId"] = *delivery.deduplication_id;
    }
    send_one(ctx, *queue, Params(std::move(input), ParamErrors{}));
}

bool SqsService::queue_exists(const std::string& queue_arn) {
    const auto arn = parse_queue_arn(queue_arn);
    return arn && store_.find_queue(arn->account_id, arn->region, arn->name).has_value();
}

}  // namespace awsemu::sqs
