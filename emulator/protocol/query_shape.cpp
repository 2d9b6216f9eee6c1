#include "emulator/protocol/query_shape.hpp"

namespace awsemu {

QueryShape QueryShape::list(QueryShape member, bool flattened, std::string member_name) {
    QueryShape shape(Kind::List);
    shape.flattened_ = flattened;
    shape.item_name_ = std::move(member_name);
    shape.item_ = std::make_shared<const QueryShape>(std::move(member));
    return shape;
}

QueryShape QueryShape::map(QueryShape value, bool flattened, std::string key_name,
                           std::string value_name) {
    QueryShape shape(Kind::Map);
    shape.flattened_ = flattened;
    shape.key_name_ = std::move(key_name);
    shape.item_name_ = std::move(value_name);
    shape.item_ = std::make_shared<const QueryShape>(std::move(value));
    return shape;
}

QueryShape QueryShape::structure(std::vector<Member> members) {
    QueryShape shape(Kind::Structure);
    shape.members_ = std::move(members);
    return shape;
}

const QueryShape::Member* QueryShape::find_member(const std::string& name) const {
    for (const auto& member : members_) {
        if (member.name == name) {
            return &member;
        }
    }
    return nullptr;
}

}  // namespace awsemu
