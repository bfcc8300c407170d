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

What stays: the region (the report's coarse filter), the languages spoken and the group
(the room's language fit and the group sizes stay right for the rest of the event), and the
interface language. None of these names anyone on its own.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from worksheets.enums import Sharing
from worksheets.models import Worksheet

from .models import Invitation, Participant


@dataclass(frozen=True)
class ErasureResult:
    private_worksheets_deleted: int
    shared_worksheets_anonymised: int
    invitations_deleted: int
    login_deleted: bool


def erased_name(pk: int) -> str:
    return f"Erased participant {pk}"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@erased.invalid"  # .invalid is reserved: nothing can ever be sent there


def participant_is_erased(participant: Participant) -> bool:
    return participant.email == erased_email(participant.pk)


@transaction.atomic
def participant_erase(*, participant: Participant) -> ErasureResult:
    """Remove a participant's personal data; running it again changes nothing."""
    participant = Participant.objects.select_for_update(of=("self",)).select_related("user").get(pk=participant.pk)
    worksheets = Worksheet.objects.filter(participant=participant)
    private_deleted = worksheets.filter(sharing=Sharing.PRIVATE).delete()[1].get(Worksheet._meta.label, 0)
    anonymised = worksheets.filter(sharing=Sharing.NAMED).update(sharing=Sharing.ANONYMOUS, revision=F("revision") + 1)
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
    )
