"""Worksheet questions, one worksheet per participant and session, and the answers in it."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ANSWER_MAX_LENGTH, SCALE_MAX, SCALE_MIN, QuestionKind, Sharing, WorksheetStatus


class Question(models.Model):
    """A worksheet question for a whole workshop, or for one of its sessions only."""

    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="questions", verbose_name=_("workshop")
    )
    session = models.ForeignKey(
        "workshops.BreakoutSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("session"),
        help_text=_("Leave empty to ask this in every session."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.LONG_TEXT)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    never_shared = models.BooleanField(
        _("never shared"),
        default=False,
        help_text=_(
            "Its answers stay on the participant’s own pages and PDF, even when they share the worksheet "
            "(the default “Personal notes”)."
        ),
    )

    class Meta:
        ordering = ["workshop", "order", "pk"]
        verbose_name = _("worksheet question")
        verbose_name_plural = _("worksheet questions")

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.session_id and self.workshop_id and self.session.workshop_id != self.workshop_id:
            raise ValidationError({"session": _("Choose a session of this workshop.")})


class Worksheet(models.Model):
    participant = models.ForeignKey(
        "workshops.Participant", on_delete=models.CASCADE, related_name="worksheets", verbose_name=_("participant")
    )
    session = models.ForeignKey(
        "workshops.BreakoutSession", on_delete=models.CASCADE, related_name="worksheets", verbose_name=_("session")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WorksheetStatus.choices, default=WorksheetStatus.DRAFT
    )
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE)
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Grows with every change of status or sharing.")
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["session__start", "participant__name"]
        verbose_name = _("worksheet")
        verbose_name_plural = _("worksheets")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"],
                name="worksheet_one_per_participant_and_session",
                violation_error_message=_("This participant already has a worksheet for this session."),
            ),
        ]

    def __str__(self):
        return _("%(participant)s – %(session)s") % {"participant": self.participant, "session": self.session}

    def clean(self):
        super().clean()
        if self.participant_id and self.session_id and self.participant.workshop_id != self.session.workshop_id:
            raise ValidationError(_("The participant and the session must belong to the same workshop."))
        if self.status == WorksheetStatus.SUBMITTED and self.submitted_at is None:
            raise ValidationError({"submitted_at": _("A submitted worksheet needs the time it was submitted.")})

    @property
    def is_shared(self) -> bool:
        return self.sharing != Sharing.PRIVATE


class Answer(models.Model):
    """One answer. Its revision grows with every save, so a stale autosave can be refused."""

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="answers", verbose_name=_("worksheet")
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    text = models.TextField(_("text"), blank=True, max_length=ANSWER_MAX_LENGTH)
    scale = models.PositiveSmallIntegerField(
        _("value"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["worksheet", "question__order", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "question"],
                name="answer_one_per_question",
                violation_error_message=_("This worksheet already has an answer to this question."),
            ),
            models.CheckConstraint(
                condition=models.Q(scale__isnull=True) | models.Q(scale__gte=SCALE_MIN, scale__lte=SCALE_MAX),
                name="answer_scale_in_range",
                violation_error_message=_("Choose a value from 1 to 5."),
            ),
        ]

    def __str__(self):
        return str(self.question)

    def clean(self):
        super().clean()
        if self.question_id and self.worksheet_id:
            question, worksheet = self.question, self.worksheet
            if question.workshop_id != worksheet.session.workshop_id or (
                question.session_id and question.session_id != worksheet.session_id
            ):
                raise ValidationError({"question": _("This question is not part of this worksheet.")})
            if question.kind == QuestionKind.SCALE and self.text:
                raise ValidationError({"text": _("This question takes a value from 1 to 5, not text.")})
            if question.kind == QuestionKind.LONG_TEXT and self.scale is not None:
                raise ValidationError({"scale": _("This question takes text, not a value.")})


class TeamNote(models.Model):
    """The co-facilitators' notes on one group in one session: private to them, autosaved."""

    session = models.ForeignKey(
        "workshops.BreakoutSession", on_delete=models.CASCADE, related_name="team_notes", verbose_name=_("session")
    )
    group = models.ForeignKey(
        "workshops.Group", on_delete=models.CASCADE, related_name="team_notes", verbose_name=_("group")
    )
    text = models.TextField(_("notes"), blank=True, max_length=ANSWER_MAX_LENGTH)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        "workshops.Facilitator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last written by"),
    )

    class Meta:
        verbose_name = _("facilitators' notes")
        verbose_name_plural = _("facilitators' notes")
        constraints = [
            models.UniqueConstraint(fields=["session", "group"], name="team_note_one_per_session_and_group"),
        ]

    def __str__(self):
        return f"{self.session} · {self.group}"


class EvaluationSubmission(models.Model):
    """That a participant submitted an evaluation (issue 16): whether, never what.

    The answers themselves are stored apart, with no link to the person (anonymous by design); this
    row only says the participant has answered the evaluation of one session (or of the whole
    workshop: no session), for the certificate rule and so that nobody answers twice. It holds no
    time, so that it cannot be matched with an answer's.
    """

    participant = models.ForeignKey(
        "workshops.Participant",
        on_delete=models.CASCADE,
        related_name="evaluation_submissions",
        verbose_name=_("participant"),
    )
    session = models.ForeignKey(
        "workshops.BreakoutSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_submissions",
        verbose_name=_("session"),
        help_text=_("Empty: the evaluation of the whole workshop."),
    )

    class Meta:
        verbose_name = _("evaluation submitted")
        verbose_name_plural = _("evaluations submitted")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"],
                name="evaluation_submitted_once_per_session",
                condition=models.Q(session__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["participant"],
                name="evaluation_submitted_once_per_workshop",
                condition=models.Q(session__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.participant} · {self.session or '—'}"


class GroupSummary(models.Model):
    """A group's summary of one session for the report-back plenary (issue 17): shared material, never a
    personal worksheet. Its rapporteur (named by the group's facilitators of the session, or a participant
    who volunteered) and those facilitators write it; the rest of the group reads it. Autosaved like the team
    notes: the revision grows with every save of the text, so a stale write is refused."""

    session = models.ForeignKey(
        "workshops.BreakoutSession",
        on_delete=models.CASCADE,
        related_name="group_summaries",
        verbose_name=_("session"),
    )
    group = models.ForeignKey(
        "workshops.Group", on_delete=models.CASCADE, related_name="summaries", verbose_name=_("group")
    )
    rapporteur = models.ForeignKey(
        "workshops.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="summaries_reported",
        verbose_name=_("rapporteur"),
    )
    rapporteur_volunteered = models.BooleanField(
        _("volunteered"), default=False, help_text=_("The rapporteur offered themselves (and may withdraw).")
    )
    text = models.TextField(_("summary"), blank=True, max_length=ANSWER_MAX_LENGTH)
    revision = models.PositiveIntegerField(_("revision"), default=0, help_text=_("Grows with every save of the text."))
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by_participant = models.ForeignKey(
        "workshops.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last written by (participant)"),
    )
    updated_by_facilitator = models.ForeignKey(
        "workshops.Facilitator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last written by (facilitator)"),
    )

    class Meta:
        ordering = ["session__start", "group__name"]
        verbose_name = _("group summary")
        verbose_name_plural = _("group summaries")
        constraints = [
            models.UniqueConstraint(fields=["session", "group"], name="group_summary_one_per_session_and_group"),
        ]

    def __str__(self):
        return f"{self.session} · {self.group}"

    def clean(self):
        super().clean()
        if self.rapporteur_id and self.group_id and self.rapporteur.group_id != self.group_id:
            raise ValidationError({"rapporteur": _("The rapporteur must be a participant of this group.")})

    @property
    def updated_by_name(self) -> str:
        person = self.updated_by_participant or self.updated_by_facilitator
        return person.name if person else ""
