"""The client address behind trusted proxies, and the keyed source hash taken of it."""

import datetime

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from forum.core.privacy import client_address, ratelimit_key, recent_source_hashes, source_hash

PROXY = "10.0.0.5"


def request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    made = RequestFactory().get("/", **extra)
    made.user = AnonymousUser()
    return made


@pytest.fixture
def behind_proxies(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def test_it_uses_the_peer_and_ignores_forwarded_for_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_it_ignores_forwarded_for_sent_by_a_peer_that_is_not_a_trusted_proxy(behind_proxies):
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert source_hash(request("203.0.113.7", "198.51.100.1")) == source_hash(request("203.0.113.7"))


def test_it_takes_the_client_our_proxy_appended(behind_proxies):
    assert client_address(request(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_it_walks_from_the_right_past_trusted_proxies_and_never_further(behind_proxies):
    # The client claimed two addresses of its own; our two proxies appended the real one and themselves.
    chain = "1.2.3.4, 192.0.2.66, 198.51.100.1, 10.9.8.7"
    assert client_address(request(PROXY, chain)) == "198.51.100.1"
    assert client_address(request("127.0.0.1", "203.0.113.9,10.1.1.1 ,  10.2.2.2")) == "203.0.113.9"


def test_it_falls_back_to_the_peer_when_an_entry_is_not_an_address(behind_proxies):
    garbage = ("not-an-address", "198.51.100.1, unknown", "", " , ", "\u0661.2.3.4", "1.2.3.4/8", "2001:db8::zz")
    for forwarded in garbage:
        assert client_address(request(PROXY, forwarded)) == PROXY, forwarded


def test_it_falls_back_to_the_peer_when_every_hop_is_a_proxy(behind_proxies):
    assert client_address(request(PROXY, "10.1.1.1, 127.0.0.1")) == PROXY


def test_it_reads_ports_brackets_and_ipv4_mapped_addresses(behind_proxies):
    assert client_address(request(PROXY, "198.51.100.1:5123")) == "198.51.100.1"
    assert client_address(request(PROXY, "[2001:db8::1]:443")) == "2001:db8::1"
    assert client_address(request("::ffff:10.0.0.5", "::ffff:198.51.100.1")) == "198.51.100.1"


def test_it_reads_only_the_right_end_of_a_very_long_chain(behind_proxies):
    chain = ", ".join(["10.0.0.1"] * 10_000 + ["198.51.100.1"])
    assert client_address(request(PROXY, chain)) == "198.51.100.1"
    assert client_address(request(PROXY, "198.51.100.1, " + ", ".join(["10.0.0.1"] * 100))) == PROXY


def test_it_names_an_unknown_source_when_the_peer_has_no_address():
    assert client_address(request("")) == "unknown"


def test_it_gives_different_clients_behind_the_proxy_different_hashes_and_rate_limit_keys(behind_proxies):
    a, b = request(PROXY, "198.51.100.1"), request(PROXY, "198.51.100.2")
    assert source_hash(a) != source_hash(b)
    assert ratelimit_key("g", a) != ratelimit_key("g", b)
    assert source_hash(a) == source_hash(request("10.200.0.1", "198.51.100.1, 10.0.0.9"))
    assert "198.51.100.1" not in source_hash(a) and len(source_hash(a)) == 64


def test_it_counts_an_ipv6_slash_64_as_one_source():
    assert source_hash(request("2001:db8:1:2::1")) == source_hash(request("2001:db8:1:2:ffff::9"))
    assert source_hash(request("2001:db8:1:2::1")) != source_hash(request("2001:db8:1:3::1"))


def test_it_hashes_the_same_source_under_each_recent_day(behind_proxies):
    hashes = recent_source_hashes(request(PROXY, "198.51.100.1"))
    today = max(hashes)
    assert hashes[today] == source_hash(request("198.51.100.1"), day=today)
    yesterday = today - datetime.timedelta(days=1)
    assert hashes[yesterday] == source_hash(request("198.51.100.1"), day=yesterday) != hashes[today]


def test_it_gives_allauth_the_same_source_so_its_limits_follow_the_client(behind_proxies):
    adapter = get_adapter()
    a = request(PROXY, "198.51.100.1")
    assert adapter.get_client_ip(a) == source_hash(a)
    assert adapter.get_client_ip(a) != adapter.get_client_ip(request(PROXY, "198.51.100.2"))
    assert adapter.get_client_ip(request("203.0.113.7", "198.51.100.1")) == source_hash(request("203.0.113.7"))
