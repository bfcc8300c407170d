"""Behind reverse proxies, every rate limit and django-axes see the real client, not the proxy.

Each trusted proxy appends the address it received the request from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies the client is that many entries from the right; whatever stands left
of it was sent by the client and may be forged.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests import factories as f
from workshops.client import client_bucket, client_ip

PROXY = "10.0.0.2"  # what every request's REMOTE_ADDR is behind the proxy


def request(xff=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "xff", "expected"),
    [
        (0, None, PROXY),
        (0, "198.51.100.9", PROXY),  # no proxy trusted: the header is the client's own words
        (1, None, PROXY),
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "203.0.113.66, 198.51.100.9", "198.51.100.9"),  # the forged left part is ignored
        (1, "garbage, 198.51.100.9", "198.51.100.9"),
        (1, "2001:db8::1, 2001:db8::9", "2001:db8::9"),
        (2, "203.0.113.66, 198.51.100.9, 10.0.0.1", "198.51.100.9"),
        (2, "198.51.100.9, 10.0.0.1", "198.51.100.9"),
        (2, "198.51.100.9", PROXY),  # did not come through both proxies: the connecting address
        (1, "192.168.1.20", "192.168.1.20"),  # a client on the venue's own network
    ],
)
def test_client_ip_takes_the_entry_left_of_the_trusted_proxies(settings, count, xff, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(xff)) == expected


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("198.51.100.9", "198.51.100.9"),  # IPv4: the address itself
        ("2001:db8:1:2::1", "2001:db8:1:2::"),  # IPv6: its /64, which one host or home holds whole
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("::ffff:198.51.100.9", "198.51.100.9"),  # IPv4 written as IPv6: the IPv4 address
        ("", ""),
    ],
)
def test_client_bucket_is_the_ipv4_address_or_the_ipv6_64(settings, remote, expected):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_bucket(request(remote=remote)) == expected


def test_axes_counts_password_failures_by_the_same_bucket(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "workshops.client.client_bucket"


def test_behind_proxy_means_one_trusted_proxy(monkeypatch):
    import importlib

    import config.settings

    try:
        monkeypatch.setenv("BEHIND_PROXY", "1")
        monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
        assert importlib.reload(config.settings).TRUSTED_PROXY_COUNT == 1
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
        assert importlib.reload(config.settings).TRUSTED_PROXY_COUNT == 2
        monkeypatch.delenv("BEHIND_PROXY")
        monkeypatch.delenv("TRUSTED_PROXY_COUNT")
        assert importlib.reload(config.settings).TRUSTED_PROXY_COUNT == 0
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


def lost_link(client, email, xff):
    return client.post(reverse("workshops:lost_link"), {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)


@pytest.mark.django_db
def test_lost_link_limit_is_per_real_client_behind_a_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # One client, forging a different left part each time: one bucket all the same.
    for number in range(5):
        assert lost_link(client, f"a{number}@example.org", f"203.0.113.{number}, 198.51.100.9").status_code == 200
    assert lost_link(client, "a9@example.org", "203.0.113.99, 198.51.100.9").status_code == 429
    # Another client behind the same proxy has a bucket of their own.
    for number in range(5):
        assert lost_link(client, f"b{number}@example.org", "198.51.100.10").status_code == 200
    assert lost_link(client, "b9@example.org", "198.51.100.10").status_code == 429


@pytest.mark.django_db
def test_lost_link_limit_is_per_ipv6_64_not_per_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # A host holding a /64 has 2**64 addresses: each request from a new one is the same bucket.
    for number in range(5):
        assert lost_link(client, f"a{number}@example.org", f"2001:db8:1:2::{number + 1:x}").status_code == 200
    assert lost_link(client, "a9@example.org", "2001:db8:1:2:abcd::99").status_code == 429
    # The next /64 is someone else.
    assert lost_link(client, "b0@example.org", "2001:db8:1:3::1").status_code == 200


@pytest.mark.django_db
def test_password_lockout_holds_across_one_ipv6_64(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = f.user(username="organiser-b")
    for number in range(5):
        login(client, user.username, "wrong", f"2001:db8:5:6::{number + 1:x}")
    assert login(client, user.username, "pw", "2001:db8:5:6::77").status_code == 429
    assert login(client, user.username, "pw", "2001:db8:5:7::1")["Location"] == "/admin/"


def login(client, username, password, xff):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=xff,
    )


@pytest.mark.django_db
def test_password_lockout_of_one_client_behind_a_proxy_does_not_lock_out_another(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = f.user(username="organiser-a")
    for _ in range(5):
        login(client, user.username, "wrong", "198.51.100.66")
    assert login(client, user.username, "pw", "203.0.113.1, 198.51.100.66").status_code == 429
    # The real organiser, at another address behind the same proxy, still gets in.
    assert login(client, user.username, "pw", "198.51.100.9")["Location"] == "/admin/"
