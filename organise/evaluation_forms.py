"""The organiser's evaluation forms: the closing time, the evaluation questions, a session's knowledge check."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from worksheets.models import EvaluationQuestion, KnowledgeQuestion
from workshops.timezones import workshop_localtime, workshop_zone


class EvaluationClosingForm(forms.Form):
    """The evaluation's closing time, typed on the venue's clock; both empty: the default."""

    day = forms.DateField(label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, workshop, closes_at=None, **kwargs):
        self.workshop = workshop
        if closes_at is not None:
            local = workshop_localtime(closes_at, workshop)
            kwargs.setdefault("initial", {"day": local.date(), "at": local.time().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if bool(data.get("day")) != bool(data.get("at")):
            raise forms.ValidationError(_("Give both the day and the time, or neither for the default."))
        return data

    def closes_at(self) -> datetime | None:
        day, at = self.cleaned_data.get("day"), self.cleaned_data.get("at")
        return datetime.combine(day, at, tzinfo=workshop_zone(self.workshop)) if day and at else None


class EvaluationQuestionForm(forms.ModelForm):
    class Meta:
        model = EvaluationQuestion
        fields = ["order", "scope", "topic", "kind", "text_en", "text_es", "text_fr"]
        labels = {
            "order": _("Position"),
            "text_en": _("Question in English"),
            "text_es": _("Question in Spanish"),
            "text_fr": _("Question in French"),
        }
        widgets = {"order": forms.NumberInput(attrs={"min": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text_en"].required = True
        for name in ("text_es", "text_fr"):
            self.fields[name].required = False


class BaseEvaluationQuestionFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, workshop, **kwargs):
        self.workshop = workshop
        queryset = EvaluationQuestion.objects.filter(workshop=workshop).order_by("scope", "order", "pk")
        super().__init__(*args, queryset=queryset, **kwargs)


EvaluationQuestionFormSet = forms.modelformset_factory(
    EvaluationQuestion, form=EvaluationQuestionForm, formset=BaseEvaluationQuestionFormSet, extra=1, can_delete=True
)

CHOICE_FIELDS = [f"choice_{n}_{code}" for n in range(1, 5) for code in ("en", "es", "fr")]


class KnowledgeQuestionForm(forms.ModelForm):
    class Meta:
        model = KnowledgeQuestion
        fields = ["order", "text_en", "text_es", "text_fr", *CHOICE_FIELDS, "correct"]
        labels = {
            "order": _("Position"),
            "text_en": _("Question in English"),
            "text_es": _("Question in Spanish"),
            "text_fr": _("Question in French"),
        }
        widgets = {
            "order": forms.NumberInput(attrs={"min": 1}),
            "correct": forms.NumberInput(attrs={"min": 1, "max": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"en": gettext("Choice %(number)d in English"), "es": gettext("Choice %(number)d in Spanish")}
        labels["fr"] = gettext("Choice %(number)d in French")
        for n in range(1, 5):
            for code, label in labels.items():
                self.fields[f"choice_{n}_{code}"].label = label % {"number": n}
        for name in ("text_en", "choice_1_en", "choice_2_en"):
            self.fields[name].required = True
        for name in ("text_es", "text_fr", *CHOICE_FIELDS):
            if name not in ("choice_1_en", "choice_2_en"):
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        correct = data.get("correct")
        if correct and not data.get(f"choice_{correct}_en"):
            self.add_error("correct", _("The correct choice has no text in English."))
        return data


class BaseKnowledgeQuestionFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, session, **kwargs):
        self.session = session
        super().__init__(
            *args, queryset=KnowledgeQuestion.objects.filter(session=session).order_by("order", "pk"), **kwargs
        )


KnowledgeQuestionFormSet = forms.modelformset_factory(
    KnowledgeQuestion, form=KnowledgeQuestionForm, formset=BaseKnowledgeQuestionFormSet, extra=1, can_delete=True
)
