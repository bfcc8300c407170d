"""Workshops, their rooms, groups, break-out sessions, participants and facilitators.

Each model holds its own invariants (`clean()` with messages a person understands, and
database constraints where the database can). Rules that span many rows (capacity, language
fit, rotation, double booking...) live in `workshops.scheduling.checker`.
"""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .enums import Gender, InterfaceLanguage, Region
from .languages import LanguageListField, language_names
from .rules import workshops_organised_by


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as Europe/Zurich."), params={"value": value})


class WorkshopQuerySet(models.QuerySet):
    def organised_by(self, user):
        """The workshops this user may manage: all for a superuser, their team's otherwise (`rules`)."""
        return self.filter(workshops_organised_by(user))

    def published(self):
        return self.filter(is_published=True)


class Workshop(models.Model):
    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in addresses, such as idm-2005-capacity."))
    title = models.CharField(_("title"), max_length=200)
    series = models.CharField(
        _("series"), max_length=200, blank=True, help_text=_("Such as International Dialogue on Migration.")
    )
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Zurich",
        validators=[validate_timezone],
        help_text=_("Session times are shown in this time zone."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_workshops", verbose_name=_("organising team")
    )
    is_published = models.BooleanField(_("published"), default=True, help_text=_("Listed on the home page."))
    worksheets_open = models.BooleanField(
        _("worksheets open"), default=True, help_text=_("Participants can edit and submit their worksheets.")
    )
    links_valid_until = models.DateField(
        _("personal links work until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the default: some days after the last day (see the README)."),
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="workshop_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})


class LanguageMode(models.Model):
    """How a room works linguistically: English only, or tri-lingual with interpretation."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="language_modes", verbose_name=_("workshop")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Such as Tri-lingual or English only."))
    languages = LanguageListField(_("languages"), help_text=_("Every language spoken or interpreted in the room."))
    interpretation = models.BooleanField(_("interpretation"), default=False)

    class Meta:
        ordering = ["workshop", "pk"]
        verbose_name = _("language mode")
        verbose_name_plural = _("language modes")

    def __str__(self):
        return f"{self.name} ({language_names(self.languages)})"

    def clean(self):
        super().clean()
        if isinstance(self.languages, list) and not self.languages:
            raise ValidationError({"languages": _("A language mode needs at least one language.")})
        if self.interpretation and isinstance(self.languages, list) and len(self.languages) < 2:
            raise ValidationError({"interpretation": _("Interpretation needs at least two languages.")})


class Room(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("workshop"))
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats for participants."))
    language_mode = models.ForeignKey(
        LanguageMode, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("language mode")
    )
    directions = models.CharField(_("how to find it"), max_length=300, blank=True)

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"],
                name="room_unique_name_per_workshop",
                violation_error_message=_("This workshop already has a room with this name."),
            ),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.capacity is not None and self.capacity <= 0:
            raise ValidationError({"capacity": _("A room needs at least one seat.")})
        if self.language_mode_id and self.workshop_id and self.language_mode.workshop_id != self.workshop_id:
            raise ValidationError({"language_mode": _("Choose a language mode of this workshop.")})


class Group(models.Model):
    """A group of participants. It keeps one room for the whole workshop (2005: Group A in Room A)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="groups", verbose_name=_("workshop"))
    name = models.CharField(_("name"), max_length=50, help_text=_("Such as A."))
    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="group", verbose_name=_("room"))

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"],
                name="group_unique_name_per_workshop",
                violation_error_message=_("This workshop already has a group with this name."),
            ),
        ]

    def __str__(self):
        return _("Group %(name)s") % {"name": self.name}

    def clean(self):
        super().clean()
        if self.room_id and self.workshop_id and self.room.workshop_id != self.workshop_id:
            raise ValidationError({"room": _("Choose a room of this workshop.")})


class BreakoutSession(models.Model):
    """A break-out session: every group meets in its own room at the same time, on one topic."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("workshop")
    )
    title = models.CharField(_("topic"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    section = models.ForeignKey(
        "curriculum.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("curriculum section"),
    )
    facilitators_required = models.PositiveSmallIntegerField(
        _("facilitators per group"), default=2, help_text=_("Usually two: sessions are co-facilitated.")
    )

    class Meta:
        ordering = ["workshop", "start", "pk"]
        verbose_name = _("break-out session")
        verbose_name_plural = _("break-out sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="session_ends_after_it_starts"),
            models.CheckConstraint(
                condition=models.Q(facilitators_required__gte=1), name="session_needs_a_facilitator"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})
        if self.facilitators_required is not None and self.facilitators_required < 1:
            raise ValidationError({"facilitators_required": _("A session needs at least one facilitator per group.")})
        self._clean_within_workshop_days()

    def _clean_within_workshop_days(self):
        """A session falls on the workshop's days, counted on the clock of the workshop's zone."""
        try:
            workshop = self.workshop  # on a new workshop's page: the unsaved workshop of the same form
        except ObjectDoesNotExist:
            return
        if not (workshop.start_date and workshop.end_date and self.start and self.end):
            return
        try:
            zone = zoneinfo.ZoneInfo(workshop.timezone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            return  # the workshop's own form says what is wrong with its zone
        # A session may end at midnight closing the last day.
        days = {
            "start": self.start.astimezone(zone).date(),
            "end": (self.end.astimezone(zone) - timedelta(microseconds=1)).date(),
        }
        for field, day in days.items():
            if not workshop.start_date <= day <= workshop.end_date:
                raise ValidationError(
                    {
                        field: _(
                            "The workshop runs from %(first)s to %(last)s: this session is on %(day)s. "
                            "Change its date, or the workshop’s days."
                        )
                        % {
                            "first": date_format(workshop.start_date, "DATE_FORMAT"),
                            "last": date_format(workshop.end_date, "DATE_FORMAT"),
                            "day": date_format(day, "DATE_FORMAT"),
                        }
                    }
                )


class Person(models.Model):
    """What participants and facilitators share."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    languages = LanguageListField(_("languages spoken"))
    link_opened_at = models.DateTimeField(
        _("first opened their link"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty: this person has never opened their personal link."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=InterfaceLanguage.choices,
        default=InterfaceLanguage.ENGLISH,
        help_text=_("The language of their pages and e-mails."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if isinstance(self.languages, list) and not self.languages:
            raise ValidationError({"languages": _("Give at least one language this person speaks.")})


class Participant(Person):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="participants", verbose_name=_("workshop")
    )
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants", verbose_name=_("group")
    )
    group_locked = models.BooleanField(
        _("keep in this group"), default=False, help_text=_("Automatic placement will not move this participant.")
    )
    # The login behind the personal link; created with the first link (`workshops.access`).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="participant",
    )

    class Meta:
        ordering = ["workshop", "name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "workshop",
                name="participant_unique_email_per_workshop",
                violation_error_message=_("Another participant of this workshop has this e-mail address."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.group_id and self.workshop_id and self.group.workshop_id != self.workshop_id:
            raise ValidationError({"group": _("Choose a group of this workshop.")})
        if self.group_locked and not self.group_id:
            raise ValidationError({"group_locked": _("Choose a group before keeping the participant in it.")})


class Facilitator(Person):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="facilitators", verbose_name=_("workshop")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="facilitator",
    )
    expertise = models.ManyToManyField(
        "curriculum.Section",
        blank=True,
        related_name="experts",
        verbose_name=_("expertise"),
        help_text=_("Curriculum sections this person knows well."),
    )

    class Meta:
        ordering = ["workshop", "name", "pk"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "workshop",
                name="facilitator_unique_email_per_workshop",
                violation_error_message=_("Another facilitator of this workshop has this e-mail address."),
            ),
        ]


class Availability(models.Model):
    """A window in which a facilitator can facilitate. None at all means: available throughout."""

    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.CASCADE, related_name="availability", verbose_name=_("facilitator")
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["facilitator", "start"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="availability_ends_after_start"),
        ]

    def __str__(self):
        # In the current zone: the pages that name a window make its workshop's zone current.
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The window must end after it starts.")})


class Assignment(models.Model):
    """A facilitator facilitating one group in one session."""

    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("facilitator")
    )
    session = models.ForeignKey(
        BreakoutSession, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("session")
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("group"))
    locked = models.BooleanField(
        _("keep"), default=False, help_text=_("Building the rotation automatically keeps this assignment.")
    )

    class Meta:
        ordering = ["session__start", "group__name", "facilitator__name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # A facilitator is in one room per session (the double-booking rule, as far as one table can say it).
            models.UniqueConstraint(
                fields=["facilitator", "session"],
                name="assignment_one_room_per_session",
                violation_error_message=_("This facilitator already facilitates another group in this session."),
            ),
        ]

    def __str__(self):
        return _("%(facilitator)s: %(group)s, %(session)s") % {
            "facilitator": self.facilitator,
            "group": self.group,
            "session": self.session,
        }

    def clean(self):
        super().clean()
        workshops = {
            obj.workshop_id
            for obj in (
                self.facilitator if self.facilitator_id else None,
                self.session if self.session_id else None,
                self.group if self.group_id else None,
            )
            if obj is not None
        }
        if len(workshops) > 1:
            raise ValidationError(_("The facilitator, the session and the group must belong to the same workshop."))


class SpentLink(models.Model):
    """A one-time link that was used: only its SHA-256 digest is kept, never the token."""

    digest = models.CharField(max_length=64, unique=True)
    spent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("used one-time link")
        verbose_name_plural = _("used one-time links")

    def __str__(self):
        return self.digest[:12]


class RateLimit(models.Model):
    """How often one thing (a client's address, an e-mail address, a participant) was done in the
    current window: the counters of every rate limit, kept in the database so that every worker
    and every app server shares them. Only a SHA-256 digest of what is counted is stored."""

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self):
        return f"{self.key[:12]} · {self.count}"


class ScheduleRun(models.Model):
    """One automatic placement or rotation: its progress while it runs, then a proposal to review.

    Nothing changes in the workshop until an organiser applies the proposal.
    """

    class Kind(models.TextChoices):
        PLACEMENT = "placement", _("Place participants")
        ROTATION = "rotation", _("Build rotation")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready to review")
        INFEASIBLE = "infeasible", _("Impossible as it stands")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="schedule_runs")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    time_limit = models.PositiveSmallIntegerField(_("time budget (seconds)"), default=10)
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    # [[seconds, objective], ...] as better solutions are found
    progress = models.JSONField(default=list, blank=True)
    # placement: {"groups": {participant id: group id}}; rotation: {"assignments": [[f, s, g, locked], ...]}
    proposal = models.JSONField(default=dict, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    problems = models.JSONField(default=list, blank=True)  # [[rule, message], ...] when infeasible
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Beaten every few seconds while the worker solves: a run whose beat stops is failed when read.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    # Stored in `error` untranslated, shown in the reader's language (`error_display`).
    STOPPED_REPORTING = gettext_noop(
        "The worker running this solver stopped reporting (it was stopped, or ran out of time), so the run failed. "
        "Nothing was changed: start it again, with a shorter time budget if the server cut it off."
    )

    NO_WORKER = gettext_noop("No task worker picked this run up: is `manage.py db_worker` running?")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        constraints = [
            models.CheckConstraint(condition=models.Q(time_limit__gte=1), name="schedule_run_time_limit_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.workshop} · {self.get_status_display()}"

    @property
    def stopped_reporting(self) -> bool:
        """Failed because its worker went silent (killed, timed out), not because the solver raised."""
        return self.status == self.Status.FAILED and self.error == self.STOPPED_REPORTING

    @property
    def never_picked_up(self) -> bool:
        """Failed because it waited in the queue longer than `TASKS_QUEUE_WAIT_SECONDS`: no worker took it."""
        return self.status == self.Status.FAILED and self.error == self.NO_WORKER

    @property
    def error_display(self) -> str:
        return gettext(self.error) if self.stopped_reporting or self.never_picked_up else self.error


class Invitation(models.Model):
    """One e-mail carrying a person's personal link: who was sent what, in which language, and when.

    Rows of one batch share `batch`; a batch is sent by a background task that claims each row
    (queued → sending) before sending it, so a batch run twice never sends anyone two copies.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("workshop")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("participant"),
    )
    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("facilitator"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVITATION)
    language = models.CharField(_("language"), max_length=2, choices=InterfaceLanguage.choices)
    to_email = models.EmailField(_("sent to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    # This failure stopped its run: the rest of the batch waits for the organiser to resume it.
    stopped_run = models.BooleanField(_("stopped the sending"), default=False)
    batch = models.UUIDField(_("batch"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When it was last handed to the task queue (created, or queued again by a resume): a batch
    # still waiting long after, with nothing claimed since, was taken by no worker.
    queued_at = models.DateTimeField(_("put in the queue"), default=timezone.now)
    attempted_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["workshop", "created_at"], name="invitation_workshop_created")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(participant__isnull=False, facilitator__isnull=True)
                    | models.Q(participant__isnull=True, facilitator__isnull=False)
                ),
                name="invitation_for_exactly_one_person",
                violation_error_message=_("An invitation goes to one participant or one facilitator."),
            ),
            models.UniqueConstraint(fields=["batch", "participant"], name="invitation_once_per_batch_participant"),
            models.UniqueConstraint(fields=["batch", "facilitator"], name="invitation_once_per_batch_facilitator"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.to_email} · {self.get_status_display()}"

    @property
    def person(self):
        return self.participant if self.participant_id else self.facilitator
