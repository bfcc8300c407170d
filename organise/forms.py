"""The forms of the organiser's pages: the board, the import, invitations and the report's filters."""

import hashlib
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organise.copy import workshop_slug_problem
from worksheets.models import Question
from worksheets.report import ReportFilters
from workshops.enums import Region
from workshops.imports.files import MAX_FILE_BYTES
from workshops.imports.headers import ImportKind
from workshops.invitations import Audience, Selection
from workshops.models import Assignment, BreakoutSession, Facilitator, Group, Participant, ScheduleRun, Workshop


class ScheduleRunForm(forms.Form):
    kind = forms.ChoiceField(choices=ScheduleRun.Kind.choices, widget=forms.HiddenInput)
    time_limit = forms.IntegerField(
        label=_("Time budget (seconds)"),
        min_value=1,
        initial=10,
        help_text=_("The solver stops at this limit with the best schedule found so far."),
    )

    def __init__(self, *args, max_seconds: int, in_request: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["time_limit"]
        field.max_value = max_seconds
        field.validators.append(MaxValueValidator(max_seconds))
        field.widget.attrs["max"] = max_seconds
        field.initial = min(10, max_seconds)
        if in_request:
            field.help_text = " ".join(
                (
                    str(field.help_text),
                    gettext(
                        "At most %(max)d seconds here: this server solves inside the web request, which its "
                        "time-out would cut off. Longer runs need a task worker (TASKS_BACKEND=database)."
                    )
                    % {"max": max_seconds},
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False


def _picker_choices(field, picker) -> None:
    """List only the picker's options in `field` (`workshops.selectors_pickers`): any person of the
    workshop still validates, whoever the page happened to list."""
    if picker is not None:
        field.choices = [("", field.empty_label), *picker.options]


class ParticipantMoveForm(forms.Form):
    participant = forms.ModelChoiceField(queryset=Participant.objects.none(), label=_("Participant"))
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("New group"))

    def __init__(self, *args, workshop, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(workshop=workshop).order_by("name")
        _picker_choices(self.fields["participant"], participants)
        self.fields["group"].queryset = Group.objects.filter(workshop=workshop).order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False


class FacilitatorSwapForm(forms.Form):
    session = forms.ModelChoiceField(queryset=BreakoutSession.objects.none(), label=_("Session"))
    first = forms.ModelChoiceField(queryset=Facilitator.objects.none(), label=_("Facilitator"))
    second = forms.ModelChoiceField(queryset=Facilitator.objects.none(), label=_("Swap with"))

    def __init__(self, *args, workshop, first=None, second=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = BreakoutSession.objects.filter(workshop=workshop).order_by("start")
        facilitators = Facilitator.objects.filter(workshop=workshop).order_by("name")
        self.fields["first"].queryset = facilitators
        self.fields["second"].queryset = facilitators
        _picker_choices(self.fields["first"], first)
        _picker_choices(self.fields["second"], second)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choose two different facilitators."))
        return data


class FacilitatorAssignForm(forms.Form):
    """A facilitator for a group short of facilitators in a session (the board's "Assign")."""

    session = forms.ModelChoiceField(queryset=BreakoutSession.objects.none(), label=_("Session"))
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("Group"))
    facilitator = forms.ModelChoiceField(queryset=Facilitator.objects.none(), label=_("Facilitator"))

    def __init__(self, *args, workshop, facilitators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = BreakoutSession.objects.filter(workshop=workshop).order_by("start")
        self.fields["group"].queryset = Group.objects.filter(workshop=workshop).order_by("name")
        self.fields["facilitator"].queryset = Facilitator.objects.filter(workshop=workshop).order_by("name")
        _picker_choices(self.fields["facilitator"], facilitators)


class UnlockForm(forms.Form):
    """A participant kept in their group by hand, or an assignment kept by hand, to let go of."""

    participant = forms.ModelChoiceField(queryset=Participant.objects.none(), required=False)
    assignment = forms.ModelChoiceField(queryset=Assignment.objects.none(), required=False)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(workshop=workshop)
        self.fields["assignment"].queryset = Assignment.objects.filter(session__workshop=workshop).select_related(
            "facilitator", "session", "group"
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("participant")) == bool(data.get("assignment")):
            raise forms.ValidationError(_("Choose one participant or one assignment to unlock."))
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Registration file"),
        help_text=_(
            "CSV (comma or semicolon, UTF-8) or Excel (.xlsx), with a header row in English, Spanish or French."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    kind = forms.ChoiceField(
        label=_("Who is in the file"),
        choices=ImportKind.choices,
        initial=ImportKind.AUTO,
        widget=forms.RadioSelect,
        help_text=_("Detected: facilitators when there is an expertise or availability column."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class InvitationBatchForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Send to"), choices=Audience.choices, initial=Audience.EVERYONE, widget=forms.RadioSelect
    )
    selection = forms.ChoiceField(
        label=_("Who"), choices=Selection.choices, initial=Selection.NOT_INVITED, widget=forms.RadioSelect
    )
    # Generated when the form is shown: the same form submitted twice sends nothing twice.
    batch = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].initial = uuid.uuid4()
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReportFilterForm(forms.Form):
    """The report's filters, read from the address (GET), with choices from this workshop only."""

    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)
    language_mode = forms.TypedChoiceField(label=_("Language mode"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=_("Region"), required=False)
    session = forms.TypedChoiceField(label=_("Session"), required=False, coerce=int, empty_value=None)
    # Not a filter of the exports: on the page, the one question whose answers are read page by page.
    question = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, widget=forms.HiddenInput)

    def __init__(self, *args, groups, language_modes, sessions=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", gettext("All sessions")), *[(s.pk, s.title) for s in sessions]]
        self.fields["question"].choices = [("", ""), *[(q.pk, q.text) for q in questions]]
        self.fields["group"].choices = [("", gettext("All groups")), *[(g.pk, str(g)) for g in groups]]
        self.fields["language_mode"].choices = [
            ("", gettext("All language modes")),
            *[(m.pk, m.name) for m in language_modes],
        ]
        self.fields["region"].choices = [("", gettext("All regions")), *Region.choices]

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            group_id=data.get("group"),
            language_mode_id=data.get("language_mode"),
            region=data.get("region") or "",
            session_id=data.get("session"),
        )


class WorkshopCopyForm(forms.Form):
    """Copy a workshop for its next edition: its new short name, first day and, if changed, title."""

    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to keep the same title.")
    )
    slug = forms.SlugField(
        label=_("Short name"), max_length=50, help_text=_("Used in addresses, such as idm-2031-capacity.")
    )
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Sessions move with it, at the same times of day on the workshop’s clock."),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        problem = workshop_slug_problem(slug)
        if problem:
            raise forms.ValidationError(problem)
        return slug


NEVER_SHARED_KEPT = _(
    "Participants already answered this question on a page saying it is never shared: it stays never shared."
)


def question_answered(question: Question) -> bool:
    """Whether some participant wrote an answer to this question."""
    return question.pk is not None and question.answers.exclude(text="", scale=None).exists()


class QuestionForm(forms.ModelForm):
    """One worksheet question, in the three languages, for every session or one."""

    class Meta:
        model = Question
        fields = [
            "order",
            "session",
            "kind",
            "text_en",
            "text_es",
            "text_fr",
            "help_text_en",
            "help_text_es",
            "help_text_fr",
            "never_shared",
        ]
        labels = {
            "order": _("Position"),
            "text_en": _("Question in English"),
            "text_es": _("Question in Spanish"),
            "text_fr": _("Question in French"),
            "help_text_en": _("Hint in English"),
            "help_text_es": _("Hint in Spanish"),
            "help_text_fr": _("Hint in French"),
            "never_shared": _(
                "Never shared: its answers stay with the participant, even when they share the worksheet"
            ),
        }
        widgets = {
            "order": forms.NumberInput(attrs={"min": 1, "class": "question-order"}),
            "never_shared": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }

    def __init__(self, *args, workshop, session_choices, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        session.queryset = BreakoutSession.objects.filter(workshop=workshop)  # checks what is sent
        session.widget.choices = session_choices  # read once for the whole list, not once per question
        session.help_text = ""
        self.fields["text_en"].required = True
        for name in ("text_es", "text_fr", "help_text_es", "help_text_fr", "help_text_en"):
            self.fields[name].required = False

    def clean_never_shared(self):
        """Once answered under "never shared", a question stays so: its answers were written on that promise."""
        never_shared = self.cleaned_data["never_shared"]
        if not never_shared and self.instance.never_shared and question_answered(self.instance):
            raise forms.ValidationError(NEVER_SHARED_KEPT)
        return never_shared


class BaseQuestionFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, workshop, **kwargs):
        self.workshop = workshop
        super().__init__(*args, queryset=Question.objects.filter(workshop=workshop).order_by("order", "pk"), **kwargs)
        sessions = BreakoutSession.objects.filter(workshop=workshop).order_by("start")
        choices = [("", gettext("Every session"))] + [(session.pk, session.title) for session in sessions]
        self.form_kwargs = {"workshop": workshop, "session_choices": choices}


QuestionFormSet = forms.modelformset_factory(
    Question, form=QuestionForm, formset=BaseQuestionFormSet, extra=1, can_delete=True
)


class SessionGuideForm(forms.ModelForm):
    """A session's own guide: its guiding questions, key messages and exercises, in three languages."""

    class Meta:
        model = BreakoutSession
        fields = [
            f"{field}_{language}"
            for field in ("guide_questions", "guide_messages", "guide_exercises")
            for language in ("en", "es", "fr")
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"en": _("In English"), "es": _("In Spanish"), "fr": _("In French")}
        for name, field in self.fields.items():
            field.required = False
            field.label = labels[name.rsplit("_", 1)[1]]
            field.help_text = ""


OWN_MESSAGE_MAX_LENGTH = 3000


def own_message_version(workshop) -> str:
    """A fingerprint of the organiser's own message as stored, in every language: the form carries
    the one it was shown with, so a save over someone else's newer text is refused."""
    texts = "\x00".join(getattr(workshop, f"invitation_note_{code}") or "" for code, _name in settings.LANGUAGES)
    return hashlib.sha256(texts.encode()).hexdigest()[:16]


class InvitationNoteForm(forms.Form):
    """The organiser's own message in the invitations (venue, logistics), in each language."""

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        labels = {"en": _("In English"), "es": _("In Spanish"), "fr": _("In French")}
        for code, _name in settings.LANGUAGES:
            self.fields[f"invitation_note_{code}"] = forms.CharField(
                label=labels[code],
                required=False,
                max_length=OWN_MESSAGE_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
                initial=getattr(workshop, f"invitation_note_{code}") or "",
            )
        self.fields["version"].initial = own_message_version(workshop)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if self.is_bound and cleaned.get("version") and cleaned["version"] != own_message_version(self.workshop):
            raise forms.ValidationError(
                _(
                    "Someone else changed this message since you opened the page. Theirs is saved; yours is "
                    "kept below: save again to replace theirs with it."
                ),
                code="stale",
            )
        return cleaned


class InvitationTestForm(forms.Form):
    """Which invitation to send oneself as a test."""

    language = forms.ChoiceField(label=_("Language of the test"), choices=settings.LANGUAGES)
    kind = forms.ChoiceField(
        label=_("As"), choices=[("participant", _("A participant")), ("facilitator", _("A facilitator"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CheckinMarginForm(forms.ModelForm):
    """The window of self check-in around every session (the attendance page)."""

    class Meta:
        model = Workshop
        fields = ["checkin_margin_minutes"]
        widgets = {"checkin_margin_minutes": forms.NumberInput(attrs={"max": 240, "class": "form-control"})}

    def clean_checkin_margin_minutes(self):
        value = self.cleaned_data["checkin_margin_minutes"]
        if value > 240:
            raise forms.ValidationError(gettext("At most 240 minutes (four hours)."))
        return value
