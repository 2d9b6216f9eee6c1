#pragma once

#include <string>

// The narrow interface other parts of awsemu use to act on RDS instances (the chaos work taking
// an availability zone down).
namespace awsemu::rds {

class RdsApi {
  public:
    virtual ~RdsApi() = default;
    // Multi-AZ instances whose primary is in `zone` fail over to their standby; the servers of
    // the other instances there die and stay down, and standbys there die and are not rebuilt,
    // until the zone is back.
    virtual void availability_zone_lost(const std::string& zone) = 0;
    // The zone is back: its instances' servers start again and their missing standbys are built.
    virtual void availability_zone_restored(const std::string& zone) = 0;
};

}  // namespace awsemu::rds
