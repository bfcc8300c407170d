"""Personal links: how participants and facilitators get in without a password.

A link carries a django-sesame token: signed with the secret key, bound to the person's
(unusable) password hash, never stored. Revoking changes that hash, so every earlier link
stops working. A link also stops working `PERSONAL_LINK_DAYS_AFTER_WORKSHOP` days after the
workshop's last day. A "lost my link" e-mail carries a one-time token valid for minutes.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate, get_user_model, logout
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_token, get_user

from .models import Facilitator, Participant, SpentLink, Workshop
from .timezones import workshop_zone

LOST_LINK_SCOPE = "lost-link"
# The session key holding the moment the link a session was opened with stops working (ISO 8601).
LINK_EXPIRES_SESSION_KEY = "personal_link_expires_at"
LINK_CHECKED_SESSION_KEY = "personal_link_checked_at"
LINK_SESSION_RECHECK = timedelta(minutes=5)
# Kept in the session that replaces one ended by its link (expired, revoked, person gone): whose
# it was, so the next page can clear what the browser kept for that person (`link_session_ended_pop`).
LINK_ENDED_SESSION_KEY = "personal_link_ended"
SESAME_BACKEND = "sesame.backends.ModelBackend"
LINK_USERNAME_SUFFIX = ".link"  # a link's login is "<participant|facilitator>.<pk>.link"

Person = Participant | Facilitator


class LinkProblem(StrEnum):
    INVALID = "invalid"  # malformed, forged, revoked, or for a person who no longer exists
    EXPIRED = "expired"  # the workshop ended too long ago
    USED = "used"  # a one-time link that was used already (or is too old)


def _link_username(kind: str, pk: int, *, taken: bool = False) -> str:
    """A link's login name: "<kind>.<pk>.link", or with a random part when that name is taken already
    (by the login a deleted person of the same id left: ids come back after a restore). Never adopted."""
    return (
        f"{kind}.{pk}.{secrets.token_hex(4)}{LINK_USERNAME_SUFFIX}" if taken else f"{kind}.{pk}{LINK_USERNAME_SUFFIX}"
    )


@transaction.atomic
def person_user_ensure(*, person: Person):
    """The login behind a person's link, created on first use (no password: links only), never one that
    already exists (`_link_username`)."""
    # Lock the person's row: two first links at once must not create two logins.
    person = type(person).objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user_id:
        return person.user
    kind = "participant" if isinstance(person, Participant) else "facilitator"
    name = _link_username(kind, person.pk)
    if get_user_model().objects.filter(username=name).exists():  # left by a deleted person of the same id
        name = _link_username(kind, person.pk, taken=True)
    user = get_user_model()(username=name, email=person.email, is_staff=False)
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    return user


@transaction.atomic
def participant_users_ensure(*, workshop: Workshop, group_id: int | None = None) -> int:
    """Create, in bulk, the login behind the personal link of every participant who has none yet.

    The same logins `person_user_ensure` creates one at a time (username
    "participant.<pk>.link", the person's e-mail, an unusable password, not staff), in four
    queries however many there are (split in batches only where the database limits a query's size). The participants' rows are locked first, so a link opened at the same moment
    waits and then finds its login. Each participant gets the login made for them here, never
    one that already exists: a login of the same name left by a deleted participant of the same
    id (ids come back after a restore) stays that person's, and the newcomer's is named
    "participant.<pk>.<random>.link". Returns how many were created.
    """
    missing = Participant.objects.filter(workshop=workshop, user__isnull=True)
    if group_id:
        missing = missing.filter(group_id=group_id)
    # Only the participants' rows, in one order (no deadlock between two organisers printing at once).
    people = list(missing.select_for_update(of=("self",)).order_by("pk").only("pk", "email"))
    if not people:
        return 0
    User = get_user_model()
    names = {person.pk: _link_username("participant", person.pk) for person in people}
    taken = set(User.objects.filter(username__in=names.values()).values_list("username", flat=True))
    users = User.objects.bulk_create(
        [
            User(
                username=_link_username("participant", person.pk, taken=names[person.pk] in taken),
                email=person.email,
                is_staff=False,
                password=make_password(None),
            )
            for person in people
        ]
    )  # the new rows' ids come back (PostgreSQL, SQLite): each login is linked by its id, never by its name
    for person, user in zip(people, users, strict=True):
        person.user = user
    Participant.objects.bulk_update(people, ["user"])
    return len(people)


def personal_link_path(*, person: Person) -> str:
    """The path of a person's current personal link."""
    token = get_token(person_user_ensure(person=person))
    return reverse("workshops:personal_link", kwargs={"token": token})


def personal_link_url(*, person: Person, base_url: str) -> str:
    return base_url.rstrip("/") + personal_link_path(person=person)


@transaction.atomic
def personal_link_revoke(*, person: Person) -> None:
    """Every link issued so far stops working; the next `personal_link_path` is a new one."""
    user = person_user_ensure(person=person)
    user.set_unusable_password()  # a new random hash: earlier tokens no longer verify
    user.save(update_fields=["password"])


def person_of(user) -> Person | None:
    """The participant or facilitator a logged-in personal-link user is."""
    if not user.is_authenticated:
        return None
    attributes = ("participant", "facilitator")
    if user.get_username().startswith("facilitator."):
        # The login's name says whose it is (`person_user_ensure`): one query, not a miss first.
        attributes = ("facilitator", "participant")
    for attribute in attributes:
        try:
            return getattr(user, attribute)
        except (Participant.DoesNotExist, Facilitator.DoesNotExist):
            continue
    return None


def person_language_remember(*, user, language: str) -> Person | None:
    """Make `language` the preferred language (pages and e-mails) of the person `user` logged in
    as through their personal link; the person, or None for anyone else (organisers, visitors).

    Only that one row changes, and only its `preferred_language`.
    """
    person = person_of(user)
    if person is not None and person.preferred_language != language:
        type(person).objects.filter(pk=person.pk).update(preferred_language=language)
        person.preferred_language = language
    return person


def link_expires_at(*, person: Person):
    """The moment a person's links stop working: the end of the workshop's `links_valid_until` day,
    or PERSONAL_LINK_DAYS_AFTER_WORKSHOP days after its last day, at midnight in the workshop's zone."""
    workshop = person.workshop
    last_day = workshop.links_valid_until or (
        workshop.end_date + timedelta(days=settings.PERSONAL_LINK_DAYS_AFTER_WORKSHOP)
    )
    following = last_day + timedelta(days=1)
    return datetime(following.year, following.month, following.day, tzinfo=workshop_zone(workshop))


def _authenticate(request, token: str, **kwargs):
    """django-sesame's check, given the request so login-failure signals (django-axes) have it."""
    if request is None:
        return get_user(token, update_last_login=False, **kwargs)
    return authenticate(request, sesame=token, **kwargs)


def personal_link_check(
    *, token: str, one_time: bool = False, spend: bool = True, request=None
) -> tuple[Person | None, LinkProblem | None]:
    """The person a token lets in, or why it does not. A one-time token is spent by this check
    unless `spend` is False (a GET only looks: mail scanners open links before people do)."""
    if one_time:
        user = _authenticate(request, token, scope=LOST_LINK_SCOPE, max_age=settings.LOST_LINK_MINUTES * 60)
        usable = _spend(token) if spend else not SpentLink.objects.filter(digest=_digest(token)).exists()
        if user is None or not usable:
            return None, LinkProblem.USED  # used, too old, or not one of ours: the same advice
    else:
        user = _authenticate(request, token)
    if user is None or not user.is_active:
        return None, LinkProblem.INVALID
    person = person_of(user)
    if person is None:
        return None, LinkProblem.INVALID
    if timezone.now() >= link_expires_at(person=person):
        return person, LinkProblem.EXPIRED
    return person, None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _spend(token: str) -> bool:
    """Record a one-time token as used (by its digest only); False when it was used before."""
    try:
        with transaction.atomic():
            SpentLink.objects.create(digest=_digest(token))
    except IntegrityError:
        return False
    return True


def link_session_bind(*, session, person: Person) -> None:
    """Tie a session opened through a person's link to that link: `link_session_expired` is true
    from the moment the link stops working (checked from the session alone, no query). The
    expiry is read again from the workshop on a page opened LINK_SESSION_RECHECK after the last
    reading (`link_session_due`; never on a page's script calls such as autosave), and once more
    when the stored moment passes, so an organiser's new "links work until" date, earlier or
    later, reaches open sessions. Revoking the link ends the session at once: Django checks on
    every request the session against the password hash that revoking changes."""
    session[LINK_EXPIRES_SESSION_KEY] = link_expires_at(person=person).isoformat()
    session[LINK_CHECKED_SESSION_KEY] = timezone.now().isoformat()


def link_session_due(*, session) -> bool:
    """Whether a link session's expiry must be read again (never read, or read too long ago)."""
    checked = session.get(LINK_CHECKED_SESSION_KEY)
    return (
        LINK_EXPIRES_SESSION_KEY not in session
        or checked is None
        or timezone.now() - datetime.fromisoformat(checked) >= LINK_SESSION_RECHECK
    )


def link_session_expired(*, session) -> bool:
    """Whether a session opened through a personal link outlived the link's expiry."""
    value = session.get(LINK_EXPIRES_SESSION_KEY)
    return value is not None and timezone.now() >= datetime.fromisoformat(value)


@dataclass(frozen=True)
class EndedLinkSession:
    user_id: int  # the login whose session ended
    keep_unsent: bool  # text that never reached the server may still be sent (a new link will come)


def link_session_end(*, request, user_id, expired: bool) -> None:
    """Log out a session that its link no longer allows (expired, revoked, person gone), and note
    in the session that replaces it whose it was, for `link_session_ended_pop`. `expired`: the
    link stopped working, so the person's unsent text could never be sent any more."""
    logout(request)
    if user_id is not None:
        request.session[LINK_ENDED_SESSION_KEY] = {"user": int(user_id), "keep_unsent": not expired}


def link_session_ended_pop(*, session) -> EndedLinkSession | None:
    """The session this browser had before `link_session_end`, said once (then forgotten)."""
    if LINK_ENDED_SESSION_KEY not in session:
        return None
    value = session.pop(LINK_ENDED_SESSION_KEY)
    return EndedLinkSession(user_id=value["user"], keep_unsent=value["keep_unsent"])


def link_session_user_id(*, session):
    """The login a session belongs to, read from the session alone (before Django checks it)."""
    return session.get(SESSION_KEY)


def lost_link_path(*, person: Person) -> str:
    """A one-time link valid for LOST_LINK_MINUTES, for a person who lost theirs."""
    return one_time_link_path(user=person_user_ensure(person=person))


def one_time_link_path(*, user) -> str:
    """A one-time link valid for LOST_LINK_MINUTES for the login `user` of a person: signed, no query."""
    token = get_token(user, scope=LOST_LINK_SCOPE)
    return reverse("workshops:one_time_link", kwargs={"token": token})
