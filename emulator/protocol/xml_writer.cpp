#include "emulator/protocol/xml_writer.hpp"

namespace awsemu {

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            case '\r':
                out += "&#xD;";
                break;
            case '\t':
            case '\n':
                out.push_back(c);
                break;
            default:
                // Other control characters cannot appear in XML 1.0 at all, not even escaped.
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
                } else {
                    out.push_back(c);
                }
        }
    }
    return out;
}

XmlWriter& XmlWriter::open(std::string_view name, std::string_view xmlns) {
    out_ += '<';
    out_ += name;
    if (!xmlns.empty()) {
        out_ += R"( xmlns=")";
        out_ += xmlns;
        out_ += '"';
    }
    out_ += '>';
    return *this;
}

XmlWriter& XmlWriter::close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
    return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view content) {
    return open(name).text(content).close(name);
}

XmlWriter& XmlWriter::text(std::string_view content) {
    out_ += xml_escape(content);
    return *this;
}

}  // namespace awsemu
