#include <doctest/doctest.h>

#include "bayeux/channel.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("channel");

TEST_CASE("valid and invalid channel names") {
  CHECK_FALSE(channel_error("/chat"));
  CHECK_FALSE(channel_error("/chat/room-1/x_y"));
  CHECK_FALSE(channel_error("/chat/*"));
  CHECK_FALSE(channel_error("/chat/**"));
  CHECK_FALSE(channel_error("/**"));
  CHECK_FALSE(channel_error("/event/Order__e"));
  CHECK(channel_error("") == "empty channel name");
  CHECK(channel_error("chat") == "channel must start with '/'");
  CHECK(channel_error("/") == "channel '/' has no segment");
  CHECK(channel_error("/chat/") == "empty segment in channel");
  CHECK(channel_error("//chat") == "empty segment in channel");
  CHECK(channel_error("/a b") == "whitespace or control character in channel");
  CHECK(channel_error("/*/a") == "wildcard allowed only as the last segment");
  CHECK(channel_error("/a/b*") == "wildcard segment must be '*' or '**'");
  CHECK(channel_error("/a/***") == "wildcard segment must be '*' or '**'");
}

TEST_CASE("namespaces") {
  CHECK(is_meta_channel("/meta/connect"));
  CHECK_FALSE(is_meta_channel("/metadata"));
  CHECK(is_service_channel("/service/echo"));
  CHECK_FALSE(is_service_channel("/services"));
  CHECK(is_wildcard_channel("/a/*"));
  CHECK(is_wildcard_channel("/a/**"));
  CHECK_FALSE(is_wildcard_channel("/a/b"));
}

TEST_CASE("wildcard matching: * is one level, ** any depth") {
  // should match
  CHECK(channel_matches("/a/b", "/a/b"));
  CHECK(channel_matches("/a/*", "/a/b"));
  CHECK(channel_matches("/a/**", "/a/b"));
  CHECK(channel_matches("/a/**", "/a/b/c/d"));
  CHECK(channel_matches("/**", "/x/y"));
  // should not match
  CHECK_FALSE(channel_matches("/a/b", "/a/bc"));
  CHECK_FALSE(channel_matches("/a/*", "/a/b/c"));
  CHECK_FALSE(channel_matches("/a/*", "/a"));
  CHECK_FALSE(channel_matches("/a/**", "/a"));
  CHECK_FALSE(channel_matches("/a/**", "/ab/c"));
  CHECK_FALSE(channel_matches("/a/*", "/ab"));
}

TEST_SUITE_END();
