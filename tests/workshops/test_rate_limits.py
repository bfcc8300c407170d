"""The rate-limit counters: a window per key, reset when it ends, only digests stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from workshops.models import RateLimit
from workshops.rate_limits import rate_limit_hit

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def test_rate_limit_hit_counts_each_key_apart():
    assert [rate_limit_hit(key="lost-link:ip:198.51.100.9", limit=2, window=HOUR) for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert rate_limit_hit(key="lost-link:ip:198.51.100.10", limit=2, window=HOUR) is False


def test_rate_limit_hit_starts_a_new_window_when_the_last_one_ended():
    for _ in range(3):
        rate_limit_hit(key="email-copy:7", limit=2, window=HOUR)
    RateLimit.objects.update(window_ends=timezone.now() - timedelta(seconds=1))
    assert rate_limit_hit(key="email-copy:7", limit=2, window=HOUR) is False
    assert RateLimit.objects.get().count == 1


def test_rate_limit_hit_stores_no_address_and_drops_ended_windows():
    rate_limit_hit(key="lost-link:email:pat@example.org", limit=5, window=HOUR)
    RateLimit.objects.update(window_ends=timezone.now() - timedelta(seconds=1))
    rate_limit_hit(key="lost-link:email:alex@example.org", limit=5, window=HOUR)
    [row] = RateLimit.objects.all()
    assert "example.org" not in row.key and len(row.key) == 64


def test_rate_limit_reached_reads_without_counting():
    from workshops.rate_limits import rate_limit_reached

    assert rate_limit_reached(key="add-organiser:3", limit=2) is False
    rate_limit_hit(key="add-organiser:3", limit=2, window=HOUR)
    assert [rate_limit_reached(key="add-organiser:3", limit=2) for _ in range(3)] == [False, False, False]
    rate_limit_hit(key="add-organiser:3", limit=2, window=HOUR)
    assert rate_limit_reached(key="add-organiser:3", limit=2) is True
    assert RateLimit.objects.get().count == 2
    RateLimit.objects.update(window_ends=timezone.now() - timedelta(seconds=1))
    assert rate_limit_reached(key="add-organiser:3", limit=2) is False
