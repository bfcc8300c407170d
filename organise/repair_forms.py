"""The form of the "Repair the day" page: who cannot come, from when (on the workshop's clock) or for which
sessions, or which room cannot be used."""

import zoneinfo
from datetime import datetime, timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workshops.models import BreakoutSession, Facilitator, Room


class RepairForm(forms.Form):
    facilitator = forms.ModelChoiceField(
        label=_("Facilitator who cannot come"), queryset=Facilitator.objects.none(), required=False
    )
    day = forms.TypedChoiceField(
        label=_("Unavailable from (day)"),
        required=False,
        coerce=lambda value: datetime.strptime(value, "%Y-%m-%d").date(),
        empty_value=None,
    )
    time = forms.TimeField(
        label=_("Unavailable from (time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("On the workshop’s clock. Leave empty to choose sessions instead."),
    )
    sessions = forms.ModelMultipleChoiceField(
        label=_("Or unavailable for these sessions"),
        queryset=BreakoutSession.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    room = forms.ModelChoiceField(
        label=_("Or a room that cannot be used"),
        queryset=Room.objects.none(),
        required=False,
        help_text=_(
            "Its group moves to a free room with its languages and enough seats, for the sessions still to come."
        ),
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.fields["facilitator"].queryset = Facilitator.objects.filter(workshop=workshop).order_by("name")
        self.fields["room"].queryset = Room.objects.filter(workshop=workshop, group__isnull=False).order_by("name")
        sessions = BreakoutSession.objects.filter(workshop=workshop).order_by("start")
        self.fields["sessions"].queryset = sessions
        zone = zoneinfo.ZoneInfo(workshop.timezone)
        self.fields["sessions"].label_from_instance = lambda s: (
            f"{date_format(s.start.astimezone(zone), 'DATETIME_FORMAT')} · {s.title}"
        )
        count = (workshop.end_date - workshop.start_date).days + 1
        days = [workshop.start_date + timedelta(days=offset) for offset in range(max(count, 1))]
        self.fields["day"].choices = [(day.isoformat(), date_format(day, "DATE_FORMAT")) for day in days]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if bool(data.get("facilitator")) == bool(data.get("room")):
            raise forms.ValidationError(gettext("Choose a facilitator who cannot come, or a room that cannot be used."))
        if data.get("room"):
            return data
        if data.get("time") is None and not data.get("sessions"):
            raise forms.ValidationError(
                gettext("Say from what time the facilitator is unavailable, or for which sessions.")
            )
        if data.get("time") is not None and data.get("day") is None:
            self.add_error("day", gettext("Choose the day."))
        return data

    def start(self) -> datetime | None:
        """The moment typed, read on the workshop's clock (None when sessions were chosen instead)."""
        if self.cleaned_data.get("time") is None or self.cleaned_data.get("day") is None:
            return None
        zone = zoneinfo.ZoneInfo(self.workshop.timezone)
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"], tzinfo=zone)
