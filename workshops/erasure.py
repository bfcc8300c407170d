"""Erasing a participant's personal data on request.

What goes, and why:
- name, e-mail, organisation, country and gender: they say who the person is. The name and
  e-mail become placeholders (“Erased participant 42”, erased-42@erased.invalid) because both
  are required and the e-mail is unique in its workshop; organisation, country and gender are
  emptied.
- the login behind their personal link is deleted: every link they were sent stops working.
- their private worksheets are deleted with their answers (they were for their use only).
- their shared worksheets stay, for the organisers' feedback report, but shared “with my name”
  becomes “without my name”: no name is ever shown again (the name is erased anyway).
- the invitations sent to them (which hold their address) are deleted.
- free text kept by the workshop is scrubbed of them: in their own shared answers, their name,
  each part of it, their e-mail and their organisation become “[erased]”; in everyone else's
  answers and in the facilitators' notes, their full name and e-mail do (a single first name
  there may be someone else's, so it stays). Each scrubbed text gets a new revision, so a tab
  still open on the old text cannot write the name back: its next save is refused as stale.

What stays: the region (the report's coarse filter), the languages spoken and the group
(the room's language fit and the group sizes stay right for the rest of the event), and the
interface language. None of these names anyone on its own.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from worksheets.enums import Sharing
from worksheets.models import Answer, TeamNote, Worksheet

from .models import Invitation, Participant


@dataclass(frozen=True)
class ErasureResult:
    private_worksheets_deleted: int
    shared_worksheets_anonymised: int
    invitations_deleted: int
    login_deleted: bool
    texts_scrubbed: int = 0


ERASED = "[erased]"


def erased_name(pk: int) -> str:
    return f"Erased participant {pk}"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@erased.invalid"  # .invalid is reserved: nothing can ever be sent there


def participant_is_erased(participant: Participant) -> bool:
    return participant.email == erased_email(participant.pk)


def _scrub(queryset, terms) -> int:
    """Replace each of `terms` (whole words, any case) by ERASED in the rows' text; bump their revision.

    Every non-empty text is read and matched in Python: SQLite's LIKE folds the case of ASCII only,
    so a database filter would miss “GARCÍA” for “García”. A workshop has a few thousand texts.
    """
    terms = sorted({term.strip() for term in terms if len(term.strip()) >= 2}, key=len, reverse=True)
    if not terms:
        return 0
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)", re.IGNORECASE)
    changed = []
    for row in queryset.exclude(text="").only("pk", "text", "revision").iterator():
        text = pattern.sub(ERASED, row.text)
        if text != row.text:
            row.text, row.revision = text, row.revision + 1
            changed.append(row)
    queryset.model.objects.bulk_update(changed, ["text", "revision"])
    return len(changed)


def _scrub_free_text(participant: Participant) -> int:
    """Remove mentions of `participant` from the free text the workshop keeps (see the module's docstring)."""
    full = [participant.name, participant.email]
    own = [*full, *participant.name.split(), participant.organisation]
    in_workshop = {"worksheet__session__workshop_id": participant.workshop_id}
    return (
        _scrub(Answer.objects.filter(worksheet__participant=participant), own)
        + _scrub(Answer.objects.filter(**in_workshop).exclude(worksheet__participant=participant), full)
        + _scrub(TeamNote.objects.filter(session__workshop_id=participant.workshop_id), full)
    )


@transaction.atomic
def participant_erase(*, participant: Participant) -> ErasureResult:
    """Remove a participant's personal data; running it again changes nothing."""
    participant = Participant.objects.select_for_update(of=("self",)).select_related("user").get(pk=participant.pk)
    worksheets = Worksheet.objects.filter(participant=participant)
    private_deleted = worksheets.filter(sharing=Sharing.PRIVATE).delete()[1].get(Worksheet._meta.label, 0)
    anonymised = worksheets.filter(sharing=Sharing.NAMED).update(sharing=Sharing.ANONYMOUS, revision=F("revision") + 1)
    scrubbed = 0 if participant_is_erased(participant) else _scrub_free_text(participant)
    invitations_deleted = Invitation.objects.filter(participant=participant).delete()[1].get(Invitation._meta.label, 0)
    user = participant.user
    participant.user = None
    participant.name = erased_name(participant.pk)
    participant.email = erased_email(participant.pk)
    participant.organisation = ""
    participant.country = ""
    participant.gender = ""
    participant.link_opened_at = None
    participant.save()
    if user is not None:
        user.delete()
    return ErasureResult(
        private_worksheets_deleted=private_deleted,
        shared_worksheets_anonymised=anonymised,
        invitations_deleted=invitations_deleted,
        login_deleted=user is not None,
        texts_scrubbed=scrubbed,
    )
