"""Worksheet questions, one worksheet per participant and session, and the answers in it."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import (
    ANSWER_MAX_LENGTH,
    SCALE_MAX,
    SCALE_MIN,
    EvaluationKind,
    EvaluationScope,
    EvaluationTopic,
    KnowledgePhase,
    QuestionKind,
    Sharing,
    WorksheetStatus,
)


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


# --- Evaluation (issue 16): the questions, the anonymous answers, the knowledge check ---------------
#
# Anonymous by design: no response, answer or attempt holds a participant, a user or a time. Their
# primary keys are random UUIDs, so that the order of the rows tells nothing either (sequential ids
# would line up with `EvaluationSubmission`'s, created in the same transaction).


class EvaluationQuestion(models.Model):
    """A question of a workshop's evaluation forms: asked after each session, or once for the whole workshop.

    The interpretation question is asked only of groups whose room's language mode has interpretation.
    """

    workshop = models.ForeignKey(
        "workshops.Workshop",
        on_delete=models.CASCADE,
        related_name="evaluation_questions",
        verbose_name=_("workshop"),
    )
    scope = models.CharField(
        _("asked"), max_length=10, choices=EvaluationScope.choices, default=EvaluationScope.SESSION
    )
    topic = models.CharField(_("topic"), max_length=20, choices=EvaluationTopic.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationKind.choices, default=EvaluationKind.SCALE)
    text = models.CharField(_("question"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["workshop", "scope", "order", "pk"]
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")

    def __str__(self):
        return self.text


class EvaluationWindow(models.Model):
    """When a workshop's evaluation closes (empty: some days after its last day, `evaluation_closes_at`)."""

    workshop = models.OneToOneField(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="evaluation_window", verbose_name=_("workshop")
    )
    closes_at = models.DateTimeField(_("evaluation closes at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation closing time")
        verbose_name_plural = _("evaluation closing times")

    def __str__(self):
        return str(self.workshop)


class EvaluationResponse(models.Model):
    """One participant's answers to one evaluation form, without the participant.

    `group` and `interpreted` are kept for the per-group figures. `key` lets the author find it
    again to edit it: an HMAC of their id and the form under a key derived from the server's
    SECRET_KEY (`worksheets.evaluation.evaluation_key`), which the database alone cannot invert.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="+", verbose_name=_("workshop")
    )
    session = models.ForeignKey(
        "workshops.BreakoutSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
        help_text=_("Empty: the evaluation of the whole workshop."),
    )
    group = models.ForeignKey(
        "workshops.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    interpreted = models.BooleanField(_("room with interpretation"), default=False)
    key = models.CharField(max_length=64, unique=True, editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")

    def __str__(self):
        return str(self.session or _("Whole workshop"))


class EvaluationAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        EvaluationQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    scale = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    text = models.TextField(_("text"), blank=True, max_length=ANSWER_MAX_LENGTH)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="evaluation_answer_once_per_question"),
        ]

    def __str__(self):
        return str(self.question)


class KnowledgeQuestion(models.Model):
    """A multiple-choice question of a session's knowledge check, asked before and after the session."""

    session = models.ForeignKey(
        "workshops.BreakoutSession",
        on_delete=models.CASCADE,
        related_name="knowledge_questions",
        verbose_name=_("session"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    choice_1 = models.CharField(_("choice 1"), max_length=300)
    choice_2 = models.CharField(_("choice 2"), max_length=300)
    choice_3 = models.CharField(_("choice 3"), max_length=300, blank=True)
    choice_4 = models.CharField(_("choice 4"), max_length=300, blank=True)
    correct = models.PositiveSmallIntegerField(
        _("correct choice"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("knowledge-check question")
        verbose_name_plural = _("knowledge-check questions")

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.correct and not getattr(self, f"choice_{self.correct}_en", getattr(self, f"choice_{self.correct}")):
            raise ValidationError({"correct": _("The correct choice has no text.")})

    def choices(self) -> list[tuple[int, str]]:
        """The choices with text, numbered 1 to 4, in the current language."""
        return [(n, getattr(self, f"choice_{n}")) for n in range(1, 5) if getattr(self, f"choice_{n}")]


class KnowledgeAttempt(models.Model):
    """One anonymous knowledge check taken: its score only, with the session, group and phase."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "workshops.BreakoutSession", on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    group = models.ForeignKey(
        "workshops.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    phase = models.CharField(_("when"), max_length=10, choices=KnowledgePhase.choices)
    score = models.PositiveSmallIntegerField(_("correct answers"))
    out_of = models.PositiveSmallIntegerField(_("questions"))

    class Meta:
        verbose_name = _("knowledge check taken")
        verbose_name_plural = _("knowledge checks taken")

    def __str__(self):
        return f"{self.session} · {self.get_phase_display()}"


class KnowledgeTaken(models.Model):
    """That a participant took a session's knowledge check in one phase: whether, never the score."""

    participant = models.ForeignKey(
        "workshops.Participant", on_delete=models.CASCADE, related_name="knowledge_taken", verbose_name=_("participant")
    )
    session = models.ForeignKey(
        "workshops.BreakoutSession", on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    phase = models.CharField(_("when"), max_length=10, choices=KnowledgePhase.choices)

    class Meta:
        verbose_name = _("knowledge check taken by")
        verbose_name_plural = _("knowledge checks taken by")
        constraints = [
            models.UniqueConstraint(fields=["participant", "session", "phase"], name="knowledge_taken_once_per_phase"),
        ]

    def __str__(self):
        return f"{self.participant} · {self.session} · {self.get_phase_display()}"


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
