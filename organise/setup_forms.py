"""The forms of the guided set-up of a new workshop (organise/views/setup.py), one per step."""

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from curriculum.models import Section
from workshops.languages import LANGUAGE_CHOICES
from workshops.models import LanguageMode, Room, Workshop

from .copy import workshop_slug_problem

# Language modes offered ready-made (2005: rooms A–C tri-lingual with interpretation, D–E English only).
PRESETS = {
    "tri": {"name": _("Tri-lingual"), "languages": ["en", "es", "fr"], "interpretation": True},
    "en": {"name": _("English only"), "languages": ["en"], "interpretation": False},
    "es": {"name": _("Spanish only"), "languages": ["es"], "interpretation": False},
    "fr": {"name": _("French only"), "languages": ["fr"], "interpretation": False},
}
PRESET_LABELS = {
    "tri": _("Tri-lingual with interpretation: English, Spanish and French"),
    "en": _("English only"),
    "es": _("Spanish only"),
    "fr": _("French only"),
}


def _zone_choices():
    """Every time zone by its name, grouped by region, for a list rather than typing."""
    groups = {}
    for name in sorted(zoneinfo.available_timezones()):
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")):
            continue
        region = name.split("/", 1)[0]
        groups.setdefault(region, []).append((name, name.replace("_", " ")))
    return [("", "—")] + [(region, zones) for region, zones in groups.items()]


class WorkshopDetailsForm(forms.ModelForm):
    """Step 1: what the workshop is, where and when, on whose clock."""

    class Meta:
        model = Workshop
        fields = ["title_en", "title_es", "title_fr", "slug", "venue_en", "start_date", "end_date", "timezone"]
        labels = {
            "title_en": _("Title"),
            "title_es": _("Title in Spanish"),
            "title_fr": _("Title in French"),
            "venue_en": _("Venue"),
        }
        help_texts = {
            "title_es": _("Leave empty to show the English title."),
            "title_fr": _("Leave empty to show the English title."),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=_zone_choices(),
            help_text=_("The workshop’s clock: every session time is read and shown in it."),
        )
        self.fields["title_en"].required = True
        for name in ("title_es", "title_fr", "venue_en"):
            self.fields[name].required = False

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.instance.pk and slug == self.instance.slug:
            return slug
        problem = workshop_slug_problem(slug)
        if problem:
            raise forms.ValidationError(problem)
        return slug


class LanguageModesForm(forms.Form):
    """Step 2: the ready-made modes, and any other set of languages."""

    presets = forms.MultipleChoiceField(
        label=_("Ready-made"), choices=list(PRESET_LABELS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label=_("Other mode: its name"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Its languages"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    interpretation = forms.BooleanField(label=_("With interpretation"), required=False)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop

    def clean(self):
        data = super().clean()
        if data.get("languages") and not data.get("name"):
            self.add_error("name", gettext("Give the other mode a name, such as Arabic and English."))
        if data.get("name") and not data.get("languages"):
            self.add_error("languages", gettext("Choose the languages spoken or interpreted in rooms of this mode."))
        if data.get("interpretation") and len(data.get("languages") or []) < 2:
            self.add_error("interpretation", gettext("Interpretation needs at least two languages."))
        if not (data.get("presets") or data.get("name")):
            raise forms.ValidationError(gettext("Choose a ready-made mode, or describe another one."))
        return data


class RoomForm(forms.ModelForm):
    """Step 3: a room, and the group that keeps it all day, in one go."""

    group_name = forms.CharField(
        label=_("Its group"),
        max_length=50,
        required=False,
        help_text=_("Such as A. Each group keeps one room all day; leave empty for a room without a group."),
    )

    class Meta:
        model = Room
        # What is typed fills the default language's columns, which every language falls back to.
        fields = ["name_en", "capacity", "language_mode", "directions_en"]
        labels = {"name_en": _("Name"), "directions_en": _("How to find it")}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.instance.workshop = workshop
        self.fields["language_mode"].queryset = LanguageMode.objects.filter(workshop=workshop)
        self.fields["language_mode"].empty_label = None
        self.fields["name_en"].required = True
        self.fields["directions_en"].required = False

    def clean_group_name(self):
        name = self.cleaned_data["group_name"].strip()
        if name and self.workshop.groups.filter(name=name).exists():
            raise forms.ValidationError(gettext("This workshop already has a group with this name."))
        return name


class SessionForm(forms.Form):
    """Step 4: a break-out session on one of the workshop's days, at times on the workshop's clock."""

    title = forms.CharField(label=_("Topic"), max_length=200)
    day = forms.TypedChoiceField(label=_("Day"), coerce=lambda value: datetime.strptime(value, "%Y-%m-%d").date())
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    section = forms.ModelChoiceField(
        label=_("Curriculum section"),
        queryset=Section.objects.order_by("volume__number", "position"),
        required=False,
        empty_label=_("None: the guide is written for this session"),
    )
    facilitators_required = forms.IntegerField(
        label=_("Facilitators per group"),
        min_value=1,
        max_value=6,
        initial=2,
        help_text=_("Usually two: co-facilitated."),
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        count = (workshop.end_date - workshop.start_date).days + 1
        days = [workshop.start_date + timedelta(days=offset) for offset in range(count)]
        self.fields["day"].choices = [(day.isoformat(), date_format(day, "DATE_FORMAT")) for day in days]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", gettext("A session must end after it starts."))
        return data

    def moments(self):
        """The session's start and end as moments, read on the workshop's clock."""
        zone = zoneinfo.ZoneInfo(self.workshop.timezone)
        day = self.cleaned_data["day"]
        return (
            datetime.combine(day, self.cleaned_data["start"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["end"], tzinfo=zone),
        )
