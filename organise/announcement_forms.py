"""The organiser's announcement form: the message in three languages, and to whom."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from workshops.models import Announcement, Group, Room

MESSAGE_MAX_LENGTH = 2000


class AnnouncementForm(forms.Form):
    """Who it is for (a room or a group chosen among the workshop's own), the message in English (needed)
    and in Spanish and French (else those readers read the English), and whether to e-mail it too."""

    audience = forms.ChoiceField(
        label=_("To"), choices=Announcement.Audience.choices, widget=forms.RadioSelect, initial="everyone"
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(), required=False)
    message_en = forms.CharField(
        label=_("In English"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3, "lang": "en"})
    )
    message_es = forms.CharField(
        label=_("In Spanish"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}),
    )
    message_fr = forms.CharField(
        label=_("In French"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "fr"}),
    )
    by_email = forms.BooleanField(
        label=_("Also send it by e-mail"),
        required=False,
        help_text=_("Each person gets it in their own language, at the address the organisers have."),
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(workshop=workshop).order_by("name")
        self.fields["group"].queryset = Group.objects.filter(workshop=workshop).order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == Announcement.Audience.ROOM and not cleaned.get("room"):
            self.add_error("room", _("Choose the room."))
        if audience == Announcement.Audience.GROUP and not cleaned.get("group"):
            self.add_error("group", _("Choose the group."))
        return cleaned

    def messages(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"message_{code}", "") for code in ("en", "es", "fr")}
