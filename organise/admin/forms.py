"""The admin's forms: times typed in the workshop's own zone (`WorkshopZoneForm` and its inline
formset, for every model with dates), and the workshop's form with "add an organiser" (rate-limited).
"""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workshops.models import Workshop, validate_timezone
from workshops.rate_limits import rate_limit_hit, rate_limit_reached
from workshops.timezones import workshop_of, zone_of


class WorkshopZoneForm(forms.ModelForm):
    """An admin form whose date-times are read in the zone of the workshop it is about.

    That is the zone chosen in a workshop's own form, the workshop chosen in the form when it has
    a `workshop` field, and otherwise the instance's workshop.
    """

    def typed_zone(self):
        if isinstance(self.instance, Workshop) and "timezone" in self.fields:
            name = self["timezone"].data
            try:
                validate_timezone(name)
            except ValidationError:
                return zone_of(self.instance)
            return zone_of(Workshop(timezone=name))
        if "workshop" in self.fields:
            try:
                return zone_of(self.fields["workshop"].clean(self["workshop"].data))
            except ValidationError:
                pass
        return zone_of(workshop_of(self.instance))

    def full_clean(self):
        zone = self.typed_zone() if self.is_bound else None
        if zone is None:
            super().full_clean()
            return
        with timezone.override(zone):
            super().full_clean()


class WorkshopZoneInlineFormSet(forms.BaseInlineFormSet):
    """An inline's date-times are read in the zone of the object the page is about.

    On a new workshop's page that object is the workshop of the same form, whose zone the main
    form has just read (the admin cleans the main form before its inlines).
    """

    def full_clean(self):
        zone = zone_of(workshop_of(self.instance))
        if zone is None:
            super().full_clean()
            return
        with timezone.override(zone):
            super().full_clean()


# Failed "Add an organiser" lookups an organiser may make in an hour.
ADD_ORGANISER_MISSES = 10


class WorkshopAdminForm(WorkshopZoneForm):
    """The workshop's page in the back office, with a way to add a colleague to its team.

    The team list offers only the people already in the organiser's teams (see
    `organise.admin.scoping.team_members`): anyone else is added by their exact username or e-mail address,
    so no organiser can browse every staff user's name.
    """

    add_organiser = forms.CharField(
        label=_("Add an organiser"),
        required=False,
        max_length=254,
        help_text=_("The exact username or e-mail address of a staff user who is not in the list above yet."),
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "slug",
            "series",
            "description",
            "venue",
            "start_date",
            "end_date",
            "timezone",
            "organisers",
            "is_published",
            "worksheets_open",
            "links_valid_until",
        ]

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser = organiser

    def clean_add_organiser(self):
        """The staff user typed; misses are limited per organiser, so nobody can guess through the staff.

        Beyond `ADD_ORGANISER_MISSES` misses in an hour every try is refused, a right name too: a
        refusal then tells nothing about whether the account exists.
        """
        typed = self.cleaned_data["add_organiser"]
        if not typed:
            return None
        key = f"add-organiser:{self.organiser.pk}"
        if rate_limit_reached(key=key, limit=ADD_ORGANISER_MISSES):
            raise forms.ValidationError(_("Too many tries; try again in an hour."))
        found = list(
            get_user_model()
            .objects.filter(is_staff=True, is_active=True)
            .filter(Q(username=typed) | Q(email__iexact=typed))[:2]
        )
        if len(found) != 1:
            rate_limit_hit(key=key, limit=ADD_ORGANISER_MISSES, window=timedelta(hours=1))
            raise forms.ValidationError(_("No active staff user has exactly this username or e-mail address."))
        return found[0]
