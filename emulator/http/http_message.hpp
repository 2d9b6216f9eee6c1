#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/ascii.hpp"
#include "emulator/auth/md5_lanes.hpp"

namespace awsemu {

// Header names keep the case they arrived with; look-ups ignore case, as HTTP says.
class Headers {
  public:
    using Entry = std::pair<std::string, std::string>;

    void reserve(std::size_t count) { entries_.reserve(count); }
    void add(std::string name, std::string value) {
        entries_.emplace_back(std::move(name), std::move(value));
    }
    // Replaces every header of that name with one value.
    void set(std::string_view name, std::string value);
    std::optional<std::string_view> find(std::string_view name) const;
    std::string_view get(std::string_view name) const { return find(name).value_or(""); }
    bool contains(std::string_view name) const { return find(name).has_value(); }

    const std::vector<Entry>& entries() const { return entries_; }

  private:
    std::vector<Entry> entries_;
};

// Takes a request body as it arrives, for bodies too large to hold (S3 objects). It never
// throws: a sink that cannot take the body records why, and the handler that made it reports
// that when the request is handled.
class RequestBodySink {
  public:
    virtual ~RequestBodySink() = default;
    virtual void write(std::string_view bytes) = 0;
    // The whole body has arrived (not called when the client went away first).
    virtual void finish() = 0;
    // A sink whose writes are heavy (hashing, disk) answers how many lanes they split into:
    // for a body of more than one chunk, the server then calls write_lane(k, chunk, done) for
    // every lane k on worker threads, the lanes of one chunk side by side, while the next chunk
    // is received; write() is not called. Each lane sees every chunk, one at a time and in
    // order. A lane calls done() once it no longer reads the chunk, on any thread, before or
    // after it returns; finish() comes after every lane's done(). 0: write() on the event loop.
    virtual int off_loop_lanes() const { return 0; }
    virtual void write_lane(int /*lane*/, std::string_view bytes, std::function<void()> done) {
        write(bytes);
        done();
    }
    // A sink that works out its body's MD5 answers true when the server may hand it a small
    // body whole with the MD5 already worked out (beside other requests' bodies, see Md5Batch):
    // the server then calls write_digested() once instead of write().
    virtual bool takes_md5() const { return false; }
    virtual void write_digested(std::string_view body, const auth::Md5Digest& /*md5*/) {
        write(body);
    }
};

// Gives a response body piece by piece, for bodies too large to hold (S3 objects).
class ResponseBodySource {
  public:
    virtual ~ResponseBodySource() = default;
    virtual std::uint64_t size() const = 0;
    // Fills up to `capacity` bytes of `buffer`; answers how many, 0 at the end (and on every
    // call after it). Called on one thread at a time, not always the event loop's.
    virtual std::size_t read(char* buffer, std::size_t capacity) = 0;
};

// The body a HEAD answer announces (its Content-Length) without having it: what the GET of the
// same resource would send. The server never reads a HEAD answer's body.
class AnnouncedBody final : public ResponseBodySource {
  public:
    explicit AnnouncedBody(std::uint64_t size) : size_(size) {}
    std::uint64_t size() const override { return size_; }
    std::size_t read(char*, std::size_t) override { return 0; }

  private:
    std::uint64_t size_;
};

// A request as every layer above the HTTP server sees it: no Beast types.
struct HttpRequest {
    std::string method;
    std::string target;     // as on the request line: "/path?query"
    std::string path;       // the part of target before '?', still percent-encoded
    std::string raw_query;  // the part after '?', still percent-encoded
    std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
    Headers headers;
    std::string body;
    // Set instead of `body` when the handler asked for the body to stream (body_sink_for).
    std::shared_ptr<RequestBodySink> body_sink;
    std::string remote_address;

    std::optional<std::string_view> query_param(std::string_view name) const;
    bool has_query_param(std::string_view name) const { return query_param(name).has_value(); }
};

// Fills path, raw_query and query from target.
void split_target(HttpRequest& request);

// The items of a comma-separated header value ("a, b,c" -> a, b, c), spaces around each
// removed; empty items kept.
std::vector<std::string> header_list(std::string_view value);

struct HttpResponse {
    int status = 200;
    Headers headers;
    std::string body;
    // Set instead of `body` for a body that streams from a file; its size is Content-Length.
    std::shared_ptr<ResponseBodySource> body_source;
};

}  // namespace awsemu
