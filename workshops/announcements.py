"""Who an announcement reaches, and the organisers' operations on announcements (issue 17).

The audiences, decided when read (someone placed in a group later sees that group's announcements):

| audience | participants | facilitators |
|---|---|---|
| everyone | all of the workshop | all of the workshop |
| a group | that group's | those assigned to that group in any session of the workshop |
| a room | the group in that room (a group keeps one room all workshop) | those assigned to that room's group in any session |
| the facilitators | none | all of the workshop |

A room's and a group's announcement thus reach the same people today, as long as a group keeps its
room; the room is said for messages about the place ("Room B moves to the third floor").
An announcement of one workshop never reaches anyone of another; a withdrawn one reaches no one.

`announcements_for_user` is one query whatever the size of the workshop, from the login alone: it is
what 3,000 pages ask every half minute (`worksheets:announcements`).
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Announcement, AnnouncementDismissal, Assignment, Facilitator, Participant, Workshop

Audience = Announcement.Audience


def _reaches_user(user_id: int) -> Q:
    """The filter "this announcement is for the participant or facilitator logged in as `user_id`"."""
    participant = Participant.objects.filter(user_id=user_id)
    facilitator = Facilitator.objects.filter(user_id=user_id)
    visits = Assignment.objects.filter(facilitator__user_id=user_id)
    in_workshop = Exists(participant.filter(workshop_id=OuterRef("workshop_id"))) | Exists(
        facilitator.filter(workshop_id=OuterRef("workshop_id"))
    )
    return (
        (Q(audience=Audience.EVERYONE) & in_workshop)
        | (Q(audience=Audience.FACILITATORS) & Exists(facilitator.filter(workshop_id=OuterRef("workshop_id"))))
        | (
            Q(audience=Audience.GROUP)
            & (
                Exists(participant.filter(group_id=OuterRef("group_id")))
                | Exists(visits.filter(group_id=OuterRef("group_id")))
            )
        )
        | (
            Q(audience=Audience.ROOM)
            & (
                Exists(participant.filter(group__room_id=OuterRef("room_id")))
                | Exists(visits.filter(group__room_id=OuterRef("room_id")))
            )
        )
    )


def announcements_for_user(*, user) -> QuerySet[Announcement]:
    """The announcements to show the person logged in as `user`: current (not withdrawn), for them, not
    dismissed by them, newest first. One query; none for someone not signed in."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    dismissed = AnnouncementDismissal.objects.filter(announcement_id=OuterRef("pk"), user_id=user.pk)
    return (
        Announcement.objects.filter(withdrawn_at__isnull=True)
        .filter(_reaches_user(user.pk))
        .exclude(Exists(dismissed))
        .only("pk", "created_at", "message", "message_en", "message_es", "message_fr", "workshop_id")
        .order_by("-created_at", "-pk")
    )


def announcement_dismiss(*, user, announcement_id: int) -> bool:
    """Hide one announcement for good for the person logged in as `user`. False when it is not theirs
    to dismiss (not for them, withdrawn, or no such announcement); dismissing twice is harmless."""
    reachable = Announcement.objects.filter(pk=announcement_id).filter(_reaches_user(user.pk)).exists()
    if not reachable:
        return False
    try:
        with transaction.atomic():
            AnnouncementDismissal.objects.get_or_create(announcement_id=announcement_id, user_id=user.pk)
    except IntegrityError:  # the same person dismissed it in another tab at the same moment
        pass
    return True


def announcement_recipients(*, announcement: Announcement) -> tuple[QuerySet[Participant], QuerySet[Facilitator]]:
    """The participants and the facilitators an announcement is for (the table above), as two querysets."""
    workshop_id = announcement.workshop_id
    participants = Participant.objects.filter(workshop_id=workshop_id)
    facilitators = Facilitator.objects.filter(workshop_id=workshop_id)
    if announcement.audience == Audience.FACILITATORS:
        participants = participants.none()
    elif announcement.audience == Audience.GROUP:
        participants = participants.filter(group_id=announcement.group_id)
        visits = Assignment.objects.filter(group_id=announcement.group_id, facilitator_id=OuterRef("pk"))
        facilitators = facilitators.filter(Exists(visits))
    elif announcement.audience == Audience.ROOM:
        participants = participants.filter(group__room_id=announcement.room_id)
        visits = Assignment.objects.filter(group__room_id=announcement.room_id, facilitator_id=OuterRef("pk"))
        facilitators = facilitators.filter(Exists(visits))
    return participants, facilitators


def announcement_reach(*, announcement: Announcement) -> int:
    """How many people an announcement is for (participants and facilitators). Two queries."""
    participants, facilitators = announcement_recipients(announcement=announcement)
    return participants.count() + facilitators.count()


def announcement_create(
    *, workshop: Workshop, audience: str, messages: dict[str, str], user=None, room=None, group=None, by_email=False
) -> Announcement:
    """Record an announcement: it shows on its people's pages at their next poll. The e-mail, when
    asked, is sent by the caller's task once this commits (`workshops.announcement_mail`)."""
    announcement = Announcement(
        workshop=workshop,
        audience=audience,
        room=room if audience == Audience.ROOM else None,
        group=group if audience == Audience.GROUP else None,
        by_email=by_email,
        created_by=user,
    )
    for code, text in messages.items():  # never `message` itself: modeltranslation maps it to the active language's
        setattr(announcement, f"message_{code}", text.strip())
    announcement.full_clean()
    announcement.save()
    return announcement


def announcement_withdraw(*, announcement: Announcement, user=None) -> bool:
    """Take an announcement back: it leaves every page at the next poll, and stays in the history.
    False when it was withdrawn already (nothing changes)."""
    changed = Announcement.objects.filter(pk=announcement.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=user
    )
    return bool(changed)


def announcements_history(*, workshop: Workshop) -> list[Announcement]:
    """The workshop's announcements, newest first, each with `dismissed` (how many people dismissed it).
    A constant number of queries (the reach of each is counted by `announcements_reach`)."""
    return list(
        Announcement.objects.filter(workshop=workshop)
        .select_related("room__group", "group", "created_by", "withdrawn_by")
        .annotate(dismissed=Count("dismissals"))
        .order_by("-created_at", "-pk")
    )


def announcements_reach(*, workshop: Workshop, announcements: list[Announcement]) -> None:
    """Set `reach` on each announcement (how many people it is for, as of now), in four queries in all."""
    participants_by_group = dict(
        Participant.objects.filter(workshop=workshop, group__isnull=False)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    participants_all = Participant.objects.filter(workshop=workshop).count()
    facilitators_all = Facilitator.objects.filter(workshop=workshop).count()
    visitors_by_group = dict(
        Assignment.objects.filter(group__workshop=workshop)
        .values("group_id")
        .annotate(n=Count("facilitator_id", distinct=True))
        .values_list("group_id", "n")
    )
    room_group = {a.room_id: a.room.group.pk for a in announcements if a.room_id and hasattr(a.room, "group")}
    for announcement in announcements:
        if announcement.audience == Audience.EVERYONE:
            announcement.reach = participants_all + facilitators_all
        elif announcement.audience == Audience.FACILITATORS:
            announcement.reach = facilitators_all
        else:
            group_id = (
                announcement.group_id
                if announcement.audience == Audience.GROUP
                else room_group.get(announcement.room_id)
            )
            announcement.reach = participants_by_group.get(group_id, 0) + visitors_by_group.get(group_id, 0)
