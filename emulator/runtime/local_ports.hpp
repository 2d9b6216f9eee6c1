#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/system/error_code.hpp>

// Local TCP ports for servers awsemu runs, which come and go while their port must not (an RDS
// instance's endpoint, where PostgreSQL itself listens so that no relay sits in the data path).
namespace awsemu {

// A port kept for its owner while its server is down: a socket bound to it with SO_REUSEADDR
// that never listens. Connections to the port are refused meanwhile, a program that does not
// set SO_REUSEADDR cannot bind it, and the server (which sets it, as PostgreSQL does) binds and
// listens beside the reservation. Released when destroyed.
class PortReservation {
  public:
    virtual ~PortReservation() = default;
    virtual std::uint16_t port() const = 0;
};

class LocalPorts {
  public:
    virtual ~LocalPorts() = default;
    // Reserves host:port (0: any free port); nullptr and `error` set when it cannot, such as
    // when something listens there.
    virtual std::unique_ptr<PortReservation> reserve(const std::string& host, std::uint16_t port,
                                                     boost::system::error_code& error) = 0;
    // A port on `host` free at this moment (for a server to listen on); 0 when none is.
    virtual std::uint16_t free_port(const std::string& host) = 0;
};

// Whether a server could listen on host:port now: nothing listens there (a port in TIME_WAIT or
// held by a PortReservation counts as available). False for an address that is not IPv4.
bool port_available(const std::string& host, std::uint16_t port);

class SystemLocalPorts final : public LocalPorts {
  public:
    std::unique_ptr<PortReservation> reserve(const std::string& host, std::uint16_t port,
                                             boost::system::error_code& error) override;
    std::uint16_t free_port(const std::string& host) override;
};

}  // namespace awsemu
