#pragma once

#include <memory>
#include <string>
#include <vector>

namespace awsemu {

struct QueryMember;

// The little of a service model the query protocol needs: which members are numbers, lists or
// maps, and how lists and maps are spelled on the wire (flattened or not, member names).
// Members a shape does not declare pass through as strings (input) or encode generically
// (output), so a shape lists only what is not a plain string.
class QueryShape {
  public:
    enum class Kind { String, Integer, Double, Boolean, List, Map, Structure };

    using Member = QueryMember;

    static QueryShape string() { return QueryShape(Kind::String); }
    static QueryShape integer() { return QueryShape(Kind::Integer); }
    static QueryShape number() { return QueryShape(Kind::Double); }
    static QueryShape boolean() { return QueryShape(Kind::Boolean); }
    static QueryShape list(QueryShape member, bool flattened = false,
                           std::string member_name = "member");
    static QueryShape map(QueryShape value, bool flattened = false, std::string key_name = "key",
                          std::string value_name = "value");
    static QueryShape structure(std::vector<Member> members);

    Kind kind() const { return kind_; }
    bool flattened() const { return flattened_; }
    const std::string& member_name() const { return item_name_; }
    const std::string& key_name() const { return key_name_; }
    const std::string& value_name() const { return item_name_; }
    const QueryShape& item() const { return *item_; }  // list member or map value
    const std::vector<Member>& members() const { return members_; }
    const Member* find_member(const std::string& name) const;

  private:
    explicit QueryShape(Kind kind) : kind_(kind) {}

    Kind kind_;
    bool flattened_ = false;
    std::string item_name_;
    std::string key_name_;
    std::shared_ptr<const QueryShape> item_;
    std::vector<Member> members_;
};

struct QueryMember {
    std::string name;  // as in the JSON value the handler sees
    QueryShape shape;
    std::string wire_name = {};  // when the wire spells it differently
};

}  // namespace awsemu
