#include "emulator/auth/md5_streams.hpp"

#include <algorithm>
#include <cstring>

namespace awsemu::auth {

namespace {

// Pieces taken at once: eight fill the lanes of an AVX2 register.
constexpr std::size_t kPiecesAtOnce = 8;

}  // namespace

Md5Digest Md5Streams::Stream::digest() const {
    return md5_finish(chain_, std::string_view(reinterpret_cast<const char*>(tail_), tail_size_),
                      length_);
}

std::string_view Md5Streams::Stream::fill_tail(std::string_view bytes) {
    const std::size_t taken = std::min(bytes.size(), kMd5Block - tail_size_);
    if (taken > 0) {  // an empty view's data may be null
        std::memcpy(tail_ + tail_size_, bytes.data(), taken);
    }
    tail_size_ += taken;
    if (tail_size_ == kMd5Block) {
        Md5Chain* chain = &chain_;
        const unsigned char* block = tail_;
        md5_advance({&chain, 1}, {&block, 1}, 1);
        tail_size_ = 0;
    }
    return bytes.substr(taken);
}

void Md5Streams::update(const std::shared_ptr<Stream>& stream, std::string_view bytes,
                        std::function<void()> done) {
    {
        const std::lock_guard lock(mutex_);
        waiting_.push_back(Piece{stream, bytes, std::move(done)});
        if (hashing_) {
            return;  // the thread hashing takes it
        }
        hashing_ = true;
    }
    while (true) {
        std::vector<Piece> pieces = take_pieces();
        if (pieces.empty()) {
            return;
        }
        hash_together(pieces);
        for (Piece& piece : pieces) {
            piece.done();
        }
    }
}

std::vector<Md5Streams::Piece> Md5Streams::take_pieces() {
    const std::lock_guard lock(mutex_);
    std::vector<Piece> pieces;
    for (auto it = waiting_.begin(); it != waiting_.end() && pieces.size() < kPiecesAtOnce;) {
        const bool stream_taken =
            std::any_of(pieces.begin(), pieces.end(),
                        [&](const Piece& piece) { return piece.stream == it->stream; });
        if (stream_taken) {
            ++it;
        } else {
            pieces.push_back(std::move(*it));
            it = waiting_.erase(it);
        }
    }
    hashing_ = !pieces.empty();
    return pieces;
}

void Md5Streams::hash_together(std::vector<Piece>& pieces) {
    // Each piece: what completes its stream's tail, then its whole blocks (in lanes), then what
    // is left into the tail.
    std::string_view rest[kPiecesAtOnce];
    const unsigned char* next[kPiecesAtOnce];
    std::size_t blocks_left[kPiecesAtOnce];
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        Stream& stream = *pieces[k].stream;
        stream.length_ += pieces[k].bytes.size();
        rest[k] = stream.tail_size_ > 0 ? stream.fill_tail(pieces[k].bytes) : pieces[k].bytes;
        next[k] = reinterpret_cast<const unsigned char*>(rest[k].data());
        blocks_left[k] = rest[k].size() / kMd5Block;
    }
    // Lanes run the same number of blocks: the shortest piece's, again for those left.
    while (true) {
        Md5Chain* chains[kPiecesAtOnce];
        const unsigned char* data[kPiecesAtOnce];
        std::size_t lanes = 0;
        std::size_t blocks = 0;
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            if (blocks_left[k] > 0) {
                chains[lanes] = &pieces[k].stream->chain_;
                data[lanes++] = next[k];
                blocks = blocks == 0 ? blocks_left[k] : std::min(blocks, blocks_left[k]);
            }
        }
        if (lanes == 0) {
            break;
        }
        md5_advance({chains, lanes}, {data, lanes}, blocks);
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            if (blocks_left[k] > 0) {
                blocks_left[k] -= blocks;
                next[k] += blocks * kMd5Block;
            }
        }
    }
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        const std::size_t whole = rest[k].size() / kMd5Block * kMd5Block;
        pieces[k].stream->fill_tail(rest[k].substr(whole));
    }
}

Md5Streams& Md5Streams::shared() {
    static Md5Streams streams;
    return streams;
}

}  // namespace awsemu::auth
