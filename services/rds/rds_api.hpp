#pragma once

#include <string>

// The narrow interface other parts of awsemu use to act on RDS instances (the chaos work taking
// an availability zone down).
namespace awsemu::rds {

class RdsApi {
  public:
    virtual ~RdsApi() = default;
    // Multi-AZ instances whose primary is in `zone` fail over to their standby; standbys in
    // `zone` are lost (and rebuilt).
    virtual void availability_zone_lost(const std::string& zone) = 0;
};

}  // namespace awsemu::rds
