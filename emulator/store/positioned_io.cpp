#include "emulator/store/positioned_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "emulator/store/database.hpp"

namespace awsemu {

void write_all_at(int fd, std::string_view bytes, std::uint64_t offset, const std::string& path) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::pwrite(fd, bytes.data() + written, bytes.size() - written,
                                   static_cast<off_t>(offset + written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw StoreError("cannot write to " + path + ": " +
                             (n == 0 ? "nothing was written" : std::strerror(errno)));
        }
        written += static_cast<std::size_t>(n);
    }
}

void read_all_at(int fd, std::string& into, std::uint64_t offset, const std::string& path) {
    std::size_t got = 0;
    while (got < into.size()) {
        const ssize_t n =
            ::pread(fd, into.data() + got, into.size() - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw StoreError("cannot read from " + path + ": " +
                             (n == 0 ? "the file is shorter" : std::strerror(errno)));
        }
        got += static_cast<std::size_t>(n);
    }
}

}  // namespace awsemu
