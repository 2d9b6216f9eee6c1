#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "emulator/auth/md5_lanes.hpp"

// MD5s of byte streams that several threads feed at the same time, as the parts of a multipart
// upload arrive side by side. One MD5 is a chain of dependent steps that uses a fraction of a
// core (see md5_lanes.hpp); the pieces of different streams that wait together are hashed in
// lanes side by side, so four uploads cost a core about what two cost hashed one by one.
namespace awsemu::auth {

class Md5Streams {
  public:
    // One stream's MD5 so far.
    class Stream {
      public:
        // The MD5 of every byte given; only once each update's done() has been called.
        Md5Digest digest() const;

      private:
        friend class Md5Streams;
        // Takes bytes into `tail_` until it holds a whole block, which it hashes; answers
        // what is left of `bytes`.
        std::string_view fill_tail(std::string_view bytes);

        Md5Chain chain_;
        unsigned char tail_[kMd5Block];  // bytes after the last whole block
        std::size_t tail_size_ = 0;
        std::uint64_t length_ = 0;
    };

    // Hashes `bytes` into `stream`, after every earlier update of it, then calls `done` on the
    // thread that hashed them; the bytes must stay as they are until then. The calling thread
    // hashes what every stream has waiting unless another thread already does, so done() may
    // come before this returns (on this thread) or after (on that one); either way the caller
    // never waits for another stream's bytes.
    void update(const std::shared_ptr<Stream>& stream, std::string_view bytes,
                std::function<void()> done);

    // The one every upload shares: lanes fill only with the streams of one hasher.
    static Md5Streams& shared();

  private:
    struct Piece {
        std::shared_ptr<Stream> stream;
        std::string_view bytes;
        std::function<void()> done;
    };

    // Up to one piece per stream (a stream's pieces go in order), at most eight.
    std::vector<Piece> take_pieces();
    static void hash_together(std::vector<Piece>& pieces);

    std::mutex mutex_;
    std::deque<Piece> waiting_;
    bool hashing_ = false;
};

}  // namespace awsemu::auth
