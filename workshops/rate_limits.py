"""Rate limits shared by every worker and app server: one counter row per thing counted, in the database.

Django's database cache would be shared too, but its `incr` reads and then writes the value: two
workers counting at once both write the same number and one request goes uncounted. Here the
count is read and written under the row's lock (PostgreSQL's `SELECT ... FOR UPDATE`, SQLite's
immediate transactions), so no request is ever lost from the count.
"""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import RateLimit


def rate_limit_hit(*, key: str, limit: int, window: timedelta) -> bool:
    """Count one more use of `key` and say whether it goes over `limit` in the current window.

    The window starts at the first use and lasts `window`; the next use after it starts a new one.
    Concurrent uses from any number of processes are each counted exactly once. Only a digest of
    `key` is stored (keys may hold e-mail addresses), and rows of ended windows are removed.
    """
    return rate_limit_count(key=key, window=window) > limit


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()  # keys may hold e-mail addresses: never stored as such


def rate_limit_count(*, key: str, window: timedelta) -> int:
    """Count one more use of `key` and return how many uses its current window has, this one included.

    The same counting as `rate_limit_hit` (exactly once per use, across processes), for a caller
    that also needs to know the moment a limit is first passed.
    """
    digest = _digest(key)
    now = timezone.now()
    with transaction.atomic():
        row, created = RateLimit.objects.select_for_update().get_or_create(
            key=digest, defaults={"count": 1, "window_ends": now + window}
        )
        if not created:
            if row.window_ends <= now:
                row.count, row.window_ends = 0, now + window
            row.count += 1
            row.save(update_fields=["count", "window_ends"])
    if created:
        RateLimit.objects.filter(window_ends__lte=now).delete()
    return row.count


def rate_limit_reached(*, key: str, limit: int) -> bool:
    """Whether `key` has been counted `limit` times in its current window already, counting nothing.

    For limits on failures: check before trying (a refused try must look the same whatever it
    would have found), and count with `rate_limit_hit` only when the try fails.
    """
    digest = _digest(key)
    return RateLimit.objects.filter(key=digest, window_ends__gt=timezone.now(), count__gte=limit).exists()
