#include "emulator/protocol/xml_writer.hpp"

#include <catch2/catch.hpp>

#include <string>

#include <pugixml.hpp>

using namespace awsemu;

namespace {

constexpr const char* kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";

}  // namespace

TEST_CASE("XmlWriter starts with the XML declaration", "[protocol][unit]") {
    const XmlWriter xml;
    CHECK(xml.str() == kDeclaration);
}

TEST_CASE("XmlWriter nests open, element and close in order", "[protocol][unit]") {
    XmlWriter xml;
    xml.open("A").element("B", "1").open("C").element("D", "2").close("C").close("A");
    CHECK(xml.str() == std::string(kDeclaration) + "<A><B>1</B><C><D>2</D></C></A>");
}

TEST_CASE("XmlWriter open writes an xmlns attribute when given one", "[protocol][unit]") {
    XmlWriter xml;
    xml.open("GetCallerIdentityResponse", "https://sts.amazonaws.com/doc/2011-06-15/")
        .close("GetCallerIdentityResponse");
    CHECK(
        xml.str() ==
        std::string(kDeclaration) +
            R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"></GetCallerIdentityResponse>)");
}

TEST_CASE("XmlWriter element with empty text is an open and a close tag", "[protocol][unit]") {
    XmlWriter xml;
    xml.element("Marker", "");
    CHECK(xml.str() == std::string(kDeclaration) + "<Marker></Marker>");
}

TEST_CASE("XmlWriter text escapes markup", "[protocol][unit]") {
    XmlWriter xml;
    xml.open("M").text("a<b>&\"c\"'d'\r\n").close("M");
    CHECK(xml.str() ==
          std::string(kDeclaration) + "<M>a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#xD;\n</M>");
}

TEST_CASE("XmlWriter xml_escape leaves plain and UTF-8 text alone", "[protocol][unit]") {
    CHECK(xml_escape("plain text 123") == "plain text 123");
    CHECK(xml_escape("caf\xC3\xA9 \xE2\x9C\x93") == "caf\xC3\xA9 \xE2\x9C\x93");
    CHECK(xml_escape("") == "");
}

TEST_CASE("XmlWriter output parses back to the text it was given", "[protocol][unit]") {
    const std::string nasty = "{\"Statement\": [\"<&>\"]}\r\n\ttab 'q' caf\xC3\xA9";
    XmlWriter xml;
    xml.open("Root").element("Value", nasty).close("Root");
    pugi::xml_document document;
    const std::string text = xml.release();
    REQUIRE(document.load_buffer(text.data(), text.size(), pugi::parse_default));
    CHECK(std::string(document.child("Root").child("Value").text().get()) == nasty);
}

TEST_CASE("XmlWriter release hands over the whole document", "[protocol][unit]") {
    XmlWriter xml;
    xml.element("A", "x");
    const std::string before = xml.str();
    CHECK(xml.release() == before);
}

TEST_CASE("XmlWriter xml_escape replaces characters XML 1.0 forbids", "[protocol][unit]") {
    CHECK(xml_escape(std::string("a\x01"
                                 "b\x1f",
                                 4)) ==
          "a\xEF\xBF\xBD"
          "b\xEF\xBF\xBD");
    CHECK(xml_escape("tab\tand\nnewline") == "tab\tand\nnewline");
}
