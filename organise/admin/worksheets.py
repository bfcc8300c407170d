from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from worksheets.enums import Sharing
from worksheets.models import Answer, Question, Worksheet

from ..forms import question_answered
from .scoping import OrganiserScopedAdmin, OrganiserScopedInline, workshop_datetime


@admin.register(Question)
class QuestionAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    list_filter = ["workshop", "kind"]
    list_select_related = ["workshop", "session"]
    search_fields = ["text"]
    list_display = ["text", "workshop", "session", "kind", "order", "never_shared"]
    fields = ["workshop", "session", "order", "kind", "text", "help_text", "never_shared"]

    def get_readonly_fields(self, request, obj=None):
        # Answered under "never shared", a question stays so (`organise.forms.question_answered`).
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.never_shared and question_answered(obj):
            fields.append("never_shared")
        return fields


class AnswerInline(OrganiserScopedInline, admin.TabularInline):
    model = Answer
    fields = ["question", "text", "scale", "revision"]
    readonly_fields = ["question", "text", "scale", "revision"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # Each row shows its question (and is titled with it): fetch them with the rows. Answers to a
        # "never shared" question (personal notes) are the participant's alone, even in a shared worksheet.
        return super().get_queryset(request).exclude(question__never_shared=True).select_related("question")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Worksheet)
class WorksheetAdmin(OrganiserScopedAdmin):
    """Organisers see that a worksheet exists and its status; its text only when shared by name.

    Private worksheets are "for your personal use", and anonymous ones reach organisers only
    through the feedback report, where no name stands beside them: here the answers are left out.
    """

    workshop_path = "participant__workshop"
    list_display = ["participant", "session", "status", "sharing", "updated_local"]
    list_filter = ["session__workshop", "session", "status", "sharing"]
    list_select_related = ["participant", "session__workshop"]
    search_fields = ["participant__name"]
    fields = ["participant", "session", "status", "sharing", "revision", "submitted_at"]
    readonly_fields = ["participant", "session", "status", "sharing", "revision", "submitted_at"]

    @admin.display(description=_("last saved"), ordering="updated_at")
    def updated_local(self, obj):
        return workshop_datetime(obj.updated_at, obj.session.workshop)

    def get_inlines(self, request, obj):
        if obj is not None and obj.sharing == Sharing.NAMED:
            return [AnswerInline]
        return []

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
