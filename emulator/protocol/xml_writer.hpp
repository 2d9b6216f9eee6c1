#pragma once

#include <string>
#include <string_view>

namespace awsemu {

// Builds an XML document as text; element names are trusted, text is escaped.
class XmlWriter {
  public:
    XmlWriter() { out_ = R"(<?xml version="1.0" encoding="UTF-8"?>)"; }

    XmlWriter& open(std::string_view name, std::string_view xmlns = {});
    XmlWriter& close(std::string_view name);
    XmlWriter& element(std::string_view name, std::string_view text);
    XmlWriter& text(std::string_view text);

    const std::string& str() const { return out_; }
    std::string release() { return std::move(out_); }

  private:
    std::string out_;
};

std::string xml_escape(std::string_view text);

}  // namespace awsemu
