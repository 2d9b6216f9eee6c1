// The one place that knows every service: adding a service is one line here.
#include "emulator/service_registry.hpp"
#include "services/ec2/ec2_service.hpp"
#include "services/ecs/ecs_service.hpp"
#include "services/elbv2/elbv2_service.hpp"
#include "services/logs/logs_service.hpp"
#include "services/rds/rds_service.hpp"
#include "services/s3/s3_service.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"
#include "services/sns/sns_service.hpp"
#include "services/sqs/sqs_service.hpp"
#include "services/sts/sts_service.hpp"

namespace awsemu {

void register_services(ServiceRegistry& registry, ServiceEnvironment& environment) {
    sts::register_service(registry, environment);
    secretsmanager::register_service(registry, environment);
    sqs::register_service(registry, environment);
    sns::register_service(registry, environment);
    s3::register_service(registry, environment);
    ec2::register_service(registry, environment);
    logs::register_service(registry, environment);
    elbv2::register_service(registry, environment);
    ecs::register_service(registry, environment);
    rds::register_service(registry, environment);
}

}  // namespace awsemu
