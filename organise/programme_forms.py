"""The organiser's form for one plenary item of the programme (organise/views/programme.py)."""

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workshops.models import ProgrammeItem, Room
from workshops.timezones import workshop_localtime

LANGUAGE_LABELS = {"en": _("English"), "es": _("Spanish"), "fr": _("French")}
TRANSLATED_FIELDS = ("title", "place", "description")


class ProgrammeItemForm(forms.ModelForm):
    """A plenary item in three languages, on one of the workshop's days, at times on the workshop's clock.

    English is needed (every language falls back to it); Spanish and French may be left empty.
    """

    day = forms.TypedChoiceField(label=_("Day"), coerce=lambda value: datetime.strptime(value, "%Y-%m-%d").date())
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    class Meta:
        model = ProgrammeItem
        fields = [
            "kind",
            "title_en",
            "title_es",
            "title_fr",
            "place_en",
            "place_es",
            "place_fr",
            "room",
            "description_en",
            "description_es",
            "description_fr",
        ]
        widgets = {f"description_{code}": forms.Textarea(attrs={"rows": 2}) for code in LANGUAGE_LABELS}

    field_order = ["kind", "day", "start", "end"]

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.instance.workshop = workshop
        count = (workshop.end_date - workshop.start_date).days + 1
        days = [workshop.start_date + timedelta(days=offset) for offset in range(count)]
        self.fields["day"].choices = [(day.isoformat(), date_format(day, "DATE_FORMAT")) for day in days]
        self.fields["room"].queryset = Room.objects.filter(workshop=workshop).order_by("name")
        self.fields["room"].required = False
        for name in TRANSLATED_FIELDS:
            for code, language in LANGUAGE_LABELS.items():
                field = self.fields[f"{name}_{code}"]
                field.label = f"{ProgrammeItem._meta.get_field(name).verbose_name.capitalize()} ({language})"
                field.required = name == "title" and code == "en"
        self.fields["place_en"].help_text = ProgrammeItem._meta.get_field("place").help_text
        if self.instance.pk:  # what was stored, as the workshop's clock shows it
            start = workshop_localtime(self.instance.start, workshop)
            end = workshop_localtime(self.instance.end, workshop)
            self.initial.update({"day": start.date().isoformat(), "start": start.time(), "end": end.time()})

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data.get("day"):
            if data["end"] <= data["start"]:
                self.add_error("end", gettext("An item must end after it starts."))
            else:
                zone = zoneinfo.ZoneInfo(self.workshop.timezone)
                self.instance.start = datetime.combine(data["day"], data["start"], tzinfo=zone)
                self.instance.end = datetime.combine(data["day"], data["end"], tzinfo=zone)
        return data
