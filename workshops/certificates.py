"""Certificates of participation (issue 16): who qualifies under the workshop's rule, and why not; issuing and revoking.

The rule is the organiser's (`Workshop.certificate_rule`): every session, or at least a number of
them; optionally the workshop's evaluation submitted too (an `EvaluationSubmission` without a
session, read through its reverse name so that this app imports nothing of `worksheets`).
Attendance is read through `workshops.attendance`: present, late and left early count.

A certificate, once issued, is kept (never deleted, never issued twice): a revoked one stays revoked
and the participant is told so; issuing is idempotent, so a second download or a second "issue all"
changes nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from .attendance import attended_sessions, participant_attended_sessions
from .enums import CertificateRule
from .models import BreakoutSession, Certificate, Participant, Workshop


def workshop_dates(workshop: Workshop) -> str:
    """The workshop's days in the active language: "Tuesday 27 September 2005 to Wednesday 28 September 2005"."""
    if workshop.start_date == workshop.end_date:
        return date_format(workshop.start_date, "DATE_FORMAT")
    return gettext("%(start)s to %(end)s") % {
        "start": date_format(workshop.start_date, "DATE_FORMAT"),
        "end": date_format(workshop.end_date, "DATE_FORMAT"),
    }


@dataclass
class Standing:
    """Where one participant stands under the rule: what they attended, what is needed, their certificate."""

    participant: Participant
    attended: set[int]  # the ids of the sessions they attended
    sessions: int  # how many sessions the workshop has
    needed: int  # how many a certificate needs
    every_session: bool
    evaluation_needed: bool
    evaluated: bool
    certificate: Certificate | None = None
    reasons: list[str] = field(default_factory=list)  # why not yet, in the active language, to the participant

    @property
    def qualifies(self) -> bool:
        return not self.reasons

    @property
    def downloadable(self) -> bool:
        """Whether the participant may download their certificate: they qualify, or hold one, not revoked."""
        if self.certificate is not None:
            return not self.certificate.revoked
        return self.qualifies


def _needed(workshop: Workshop, sessions: int) -> int:
    if workshop.certificate_rule == CertificateRule.AT_LEAST and workshop.certificate_min_sessions:
        return min(workshop.certificate_min_sessions, sessions)
    return sessions


def _reasons(standing: Standing) -> list[str]:
    """Why the participant does not qualify yet, in words, addressed to them (empty: they qualify)."""
    reasons = []
    attended, total, needed = len(standing.attended), standing.sessions, standing.needed
    if total == 0:
        return [gettext("This workshop has no session yet.")]
    if attended < needed:
        values = {"attended": attended, "total": total, "needed": needed}
        if standing.every_session and total == 2:
            reasons.append(gettext("You attended %(attended)s of 2 sessions; a certificate needs both.") % values)
        elif standing.every_session:
            reasons.append(
                ngettext(
                    "You attended %(attended)s of %(total)s session; a certificate needs it.",
                    "You attended %(attended)s of %(total)s sessions; a certificate needs all of them.",
                    total,
                )
                % values
            )
        else:
            reasons.append(
                gettext("You attended %(attended)s of %(total)s sessions; a certificate needs at least %(needed)s.")
                % values
            )
    if standing.evaluation_needed and not standing.evaluated:
        reasons.append(gettext("Submit the workshop’s evaluation first."))
    return reasons


def _standing(workshop, participant, attended, sessions, evaluated, certificate) -> Standing:
    standing = Standing(
        participant=participant,
        attended=attended,
        sessions=sessions,
        needed=_needed(workshop, sessions),
        every_session=workshop.certificate_rule != CertificateRule.AT_LEAST,
        evaluation_needed=workshop.certificate_needs_evaluation,
        evaluated=evaluated,
        certificate=certificate,
    )
    standing.reasons = _reasons(standing)
    return standing


def certificate_standing(*, participant: Participant) -> Standing:
    """One participant's standing under their workshop's rule, in four queries whatever the workshop's size."""
    workshop = participant.workshop
    sessions = BreakoutSession.objects.filter(workshop=workshop).count()
    evaluated = participant.evaluation_submissions.filter(session__isnull=True).exists()
    certificate = Certificate.objects.filter(participant=participant).first()
    attended = participant_attended_sessions(participant)
    return _standing(workshop, participant, attended, sessions, evaluated, certificate)


def certificate_standings(*, workshop: Workshop) -> list[Standing]:
    """Every participant's standing, by name, in a fixed number of queries (five) whatever the workshop's size."""
    sessions = BreakoutSession.objects.filter(workshop=workshop).count()
    participants = list(
        Participant.objects.filter(workshop=workshop)
        .select_related("certificate", "certificate__revoked_by", "group")
        .order_by("name", "pk")
    )
    evaluated = set(
        Participant.objects.filter(workshop=workshop, evaluation_submissions__session__isnull=True).values_list(
            "pk", flat=True
        )
    )
    attended = attended_sessions(workshop)
    return [
        _standing(
            workshop,
            person,
            attended.get(person.pk, set()),
            sessions,
            person.pk in evaluated,
            getattr(person, "certificate", None),
        )
        for person in participants
    ]


def certificate_issue(*, participant: Participant) -> Certificate | None:
    """The participant's certificate: the one they hold (revoked or not), or a new one if they qualify; else None.

    Idempotent: a participant is issued at most one certificate, however often or concurrently asked.
    """
    standing = certificate_standing(participant=participant)
    if standing.certificate is not None:
        return standing.certificate
    if not standing.qualifies:
        return None
    certificate, _created = Certificate.objects.get_or_create(
        participant=participant, defaults={"language": participant.preferred_language}
    )
    return certificate


def certificates_issue_all(*, workshop: Workshop) -> int:
    """Issue a certificate to every participant who qualifies and has none yet; returns how many were issued.

    Idempotent (a second call issues none); revoked certificates stay revoked.
    """
    new = [
        Certificate(participant=standing.participant, language=standing.participant.preferred_language)
        for standing in certificate_standings(workshop=workshop)
        if standing.certificate is None and standing.qualifies
    ]
    with transaction.atomic():
        # A participant issued one meanwhile (their own download) keeps theirs: the conflict is skipped.
        Certificate.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def certificate_revoke(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Revoke the certificate, saying who and why; its verification page then says it was revoked. Idempotent."""
    if certificate.revoked:
        return certificate
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = user
    certificate.revoke_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return certificate
