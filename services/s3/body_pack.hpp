#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Small object bodies, packed one after another into a single file. A body of a few KiB in a
// SQLite row costs its own overflow pages: written to the WAL at commit, then copied again into
// the database by the checkpoint. In the pack it is written once, by one pwrite, and the row
// keeps only its offset.
//
// Every body starts on a block boundary, so that the blocks of a body no row names any more
// are given back to the file system (a punched hole) without touching its neighbours. The file
// is sparse: its size only grows while awsemu runs; the disk it takes is what live bodies use.
//
// A body is written before the row that names it is committed, and its blocks released only
// after the commit that stopped naming it; a crash in between leaves blocks nobody names, which
// keep_only() releases at the next start. Bodies appended between two commits are written
// together, by one pwrite in flush() just before the commit.
namespace awsemu::s3 {

// A body's place in the pack: its first byte and its length.
struct PackedBody {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
};

class BodyPack {
  public:
    // Blocks: the unit the file system frees, and the alignment of every body.
    static constexpr std::uint64_t kBlock = 4096;

    // Opens (or creates) the pack at `path`. Throws StoreError when it cannot.
    explicit BodyPack(std::string path);
    ~BodyPack();
    BodyPack(const BodyPack&) = delete;
    BodyPack& operator=(const BodyPack&) = delete;

    // Places `body` (not empty) after the last one, to be written by flush(); answers where.
    std::uint64_t append(std::string_view body);
    // Writes what append() placed since the last flush. Throws StoreError; what was placed is
    // then dropped, as the rows naming it are rolled back.
    void flush();
    // The bytes of a body, written or not yet. Throws StoreError when the file holds fewer.
    std::string read(const PackedBody& body) const;
    // Gives the blocks of a body no row names any more back to the file system.
    void release(const PackedBody& body);
    // At start: releases every block outside `live` (sorted by offset) and drops the file's
    // tail after the last live body, which a crash may have left.
    void keep_only(const std::vector<PackedBody>& live);

  private:
    std::string path_;
    int fd_ = -1;
    std::uint64_t end_ = 0;  // where the next body goes: a block boundary
    // Appended, not yet written: the file's bytes from unwritten_at_ on, blocks' padding
    // included.
    std::string unwritten_;
    std::uint64_t unwritten_at_ = 0;
};

}  // namespace awsemu::s3
