"""Behind reverse proxies, every rate limit and django-axes see the real client, not the proxy.

Each trusted proxy appends the address it received the request from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies the client is that many entries from the right; whatever stands left
of it was sent by the client and may be forged.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.client import client_ip
from tests import factories as f

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
