from contextvars import ContextVar

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from organise.erasure import erasure_plans, participant_erase
from worksheets.services import questions_create_defaults
from workshops.access import personal_link_revoke, personal_link_url
from workshops.models import (
    Assignment,
    Availability,
    BreakoutSession,
    Facilitator,
    Group,
    LanguageMode,
    Participant,
    ProgrammeItem,
    Room,
    Workshop,
)
from workshops.qr import qr_svg
from workshops.services import workshop_check, workshop_rezone

from .forms import WorkshopAdminForm
from .related_lists import inline_is_short, related_links
from .scoping import OrganiserScopedAdmin, OrganiserScopedInline, team_members, workshop_datetime

PROBLEMS_SHOWN = 20  # broken rules listed on the workshop's page

_base_url: ContextVar[str] = ContextVar("admin_base_url", default="")


class PersonalLinkAdminMixin:
    """The person's personal link and its QR code, and an action to replace links."""

    actions = ["replace_personal_links"]

    @admin.display(description=_("Personal link"))
    def personal_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = personal_link_url(person=obj, base_url=_base_url.get())
        # segno's SVG is generated from the URL alone: no user-controlled markup can get in.
        return format_html('<div><a href="{}">{}</a></div><div>{}</div>', url, url, mark_safe(qr_svg(url)))

    def get_readonly_fields(self, request, obj=None):
        _base_url.set(request.build_absolute_uri("/").rstrip("/"))  # per thread: admin instances are shared
        return [*super().get_readonly_fields(request, obj), "personal_link"]

    @admin.action(description=_("Replace the personal links of the selected people (old links stop working)"))
    def replace_personal_links(self, request, queryset):
        for person in queryset:
            personal_link_revoke(person=person)
        messages.success(
            request, _("%(count)d personal link(s) replaced. Send the new ones.") % {"count": queryset.count()}
        )


class LanguageModeInline(OrganiserScopedInline, TranslationTabularInline):
    model = LanguageMode
    fields = ["name", "languages", "interpretation"]
    extra = 0


class RoomInline(OrganiserScopedInline, TranslationTabularInline):
    model = Room
    fields = ["name", "capacity", "language_mode", "directions"]
    extra = 0


class GroupInline(OrganiserScopedInline, TranslationTabularInline):
    model = Group
    fields = ["name", "room"]
    extra = 0


class SessionInline(OrganiserScopedInline, TranslationTabularInline):
    model = BreakoutSession
    fields = ["title", "start", "end", "section", "facilitators_required"]
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    workshop_path = ""
    form = WorkshopAdminForm
    list_display = ["title", "series", "start_date", "end_date", "venue", "is_published", "worksheets_open"]
    list_filter = ["is_published", "worksheets_open", "start_date"]
    search_fields = ["title", "series", "venue", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["organisers"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "series", "description", "venue"]}),
        (_("Dates"), {"fields": ["start_date", "end_date", "timezone"]}),
        (
            _("Team and status"),
            {"fields": ["organisers", "add_organiser", "is_published", "worksheets_open", "links_valid_until"]},
        ),
        (_("Schedule check"), {"fields": ["board_link", "schedule_problems"]}),
        (_("Lists"), {"fields": ["lists"]}),
    ]
    readonly_fields = ["board_link", "schedule_problems", "lists"]
    inlines = [LanguageModeInline, RoomInline, GroupInline, SessionInline]

    def get_inlines(self, request, obj):
        # Only short inlines: the others are reached from "Lists" (a page of 100 inlined groups
        # sent more fields than Django accepts, and could not be saved).
        return [inline for inline in self.inlines if inline_is_short(obj, inline.model)]

    @admin.display(description=_("Rooms, groups, people and worksheets"))
    def lists(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return related_links(obj)

    @admin.display(description=_("Board"))
    def board_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("organise:board", args=[obj.slug]),
            _("Open the board: rooms × sessions, automatic placement and rotation, moves by hand"),
        )

    @admin.display(description=_("Broken rules"))
    def schedule_problems(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        problems = workshop_check(workshop=obj)
        if not problems:
            return _("Every rule is met.")
        shown = format_html_join(
            "",
            '<div class="schedule-problem"><strong>{}</strong>: {}</div>',
            ((problem.rule.label, problem.message) for problem in problems[:PROBLEMS_SHOWN]),
        )
        if len(problems) <= PROBLEMS_SHOWN:
            return shown
        # 3,000 participants not yet placed are 3,000 lines: the first ones, then how many more.
        more = _("… and %(count)d more; the board shows every one.") % {"count": len(problems) - PROBLEMS_SHOWN}
        return format_html('{}<div class="schedule-problem">{}</div>', shown, more)

    def get_fieldsets(self, request, obj=None):
        try:
            return super().get_fieldsets(request, obj)
        finally:
            # modeltranslation copies the form's Meta.fields onto the admin while it reads declared
            # fieldsets; with both set, Django's check admin.E005 then fails for the rest of the process.
            self.fields = None

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        organiser = request.user

        class WorkshopAdminFormForOrganiser(form):
            """The form of this request: its "Add an organiser" misses count against who is signed in."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, organiser=organiser, **kwargs)

        WorkshopAdminFormForOrganiser.__name__ = form.__name__
        return WorkshopAdminFormForOrganiser

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "organisers":
            kwargs["queryset"] = team_members(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "timezone" in form.changed_data:
            # The session inline saves next, with the times as typed: the same times of day.
            if workshop_rezone(workshop=obj, previous_timezone=form.initial["timezone"]):
                messages.info(
                    request,
                    _("The time zone is now %(zone)s: sessions and availability keep their times of day.")
                    % {"zone": obj.timezone},
                )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("add_organiser"):
            form.instance.organisers.add(form.cleaned_data["add_organiser"])
        # Whoever creates a workshop organises it (otherwise it would vanish from their list).
        if not change and not request.user.is_superuser:
            form.instance.organisers.add(request.user)
        if not change:  # a new workshop starts with the default worksheet, in three languages
            questions_create_defaults(workshop=form.instance)
        problems = workshop_check(workshop=form.instance)
        if problems:
            messages.warning(
                request,
                _("This workshop breaks %(count)d scheduling rule(s); see “Schedule check”.")
                % {"count": len(problems)},
            )


@admin.register(LanguageMode)
class LanguageModeAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    list_display = ["name", "workshop", "interpretation"]
    list_filter = ["interpretation", "workshop"]
    list_select_related = ["workshop"]
    search_fields = ["name"]
    fields = ["workshop", "name", "languages", "interpretation"]


@admin.register(Room)
class RoomAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    list_display = ["name", "workshop", "capacity", "language_mode"]
    list_filter = ["workshop", "language_mode__interpretation"]
    list_select_related = ["workshop", "language_mode"]
    search_fields = ["name"]
    fields = ["workshop", "name", "capacity", "language_mode", "directions"]


@admin.register(Group)
class GroupAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "workshop", "room"]
    list_filter = ["workshop"]
    list_select_related = ["workshop", "room"]
    search_fields = ["name", "room__name"]
    fields = ["workshop", "name", "room"]


@admin.register(BreakoutSession)
class BreakoutSessionAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    list_display = ["title", "workshop", "start_local", "end_local", "section", "facilitators_required"]
    list_filter = ["workshop"]
    list_select_related = ["workshop", "section"]
    search_fields = ["title"]
    fields = ["workshop", "title", "start", "end", "section", "facilitators_required"]

    # The list may mix workshops: each row on the clock of its own workshop.
    @admin.display(description=_("start"), ordering="start")
    def start_local(self, obj):
        return workshop_datetime(obj.start, obj.workshop)

    @admin.display(description=_("end"), ordering="end")
    def end_local(self, obj):
        return workshop_datetime(obj.end, obj.workshop)


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    list_display = ["title", "kind", "workshop", "start_local", "end_local", "place", "room"]
    list_filter = ["workshop", "kind"]
    list_select_related = ["workshop", "room"]
    search_fields = ["title", "place"]
    fields = ["workshop", "kind", "title", "place", "room", "description", "start", "end"]

    @admin.display(description=_("start"), ordering="start")
    def start_local(self, obj):
        return workshop_datetime(obj.start, obj.workshop)

    @admin.display(description=_("end"), ordering="end")
    def end_local(self, obj):
        return workshop_datetime(obj.end, obj.workshop)


@admin.register(Participant)
class ParticipantAdmin(PersonalLinkAdminMixin, OrganiserScopedAdmin):
    list_display = ["name", "email", "country", "region", "organisation", "group", "workshop"]
    list_filter = ["workshop", "region", "group", "gender", "preferred_language"]
    list_select_related = ["workshop", "group"]
    search_fields = ["name", "email", "organisation"]
    fields = [
        "workshop",
        "name",
        "email",
        "country",
        "region",
        "organisation",
        "languages",
        "gender",
        "preferred_language",
        "group",
        "group_locked",
        "personal_link",
    ]
    actions = [*PersonalLinkAdminMixin.actions, "erase_personal_data"]

    @admin.action(description=_("Erase the personal data of the selected participants"), permissions=["delete"])
    def erase_personal_data(self, request, queryset):
        """Asks first (Django's intermediate page), then erases: see `organise.erasure`."""
        queryset = queryset.select_related("workshop")
        if request.POST.get("post") != "yes":
            people = list(queryset)
            plans = {plan.participant.pk: plan for plan in erasure_plans(participants=people)}
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data?"),
                "opts": self.model._meta,
                "queryset": people,
                "plans": [(participant, plans.get(participant.pk)) for participant in people],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/workshops/participant/erase_confirmation.html", context)
        count = 0
        for participant in queryset:
            # Only the uncertain mentions the organiser ticked (keys outside this participant's plan are ignored).
            participant_erase(participant=participant, uncertain=request.POST.getlist(f"uncertain-{participant.pk}"))
            count += 1
        messages.success(request, _("Personal data of %(count)d participant(s) erased.") % {"count": count})
        return None


class AvailabilityInline(OrganiserScopedInline, admin.TabularInline):
    model = Availability
    fields = ["start", "end"]
    extra = 0


@admin.register(Facilitator)
class FacilitatorAdmin(PersonalLinkAdminMixin, OrganiserScopedAdmin):
    list_display = ["name", "email", "organisation", "workshop"]
    list_filter = ["workshop", "expertise"]
    list_select_related = ["workshop"]
    search_fields = ["name", "email", "organisation"]
    fields = [
        "workshop",
        "name",
        "email",
        "organisation",
        "languages",
        "preferred_language",
        "expertise",
        "personal_link",
    ]
    filter_horizontal = ["expertise"]
    inlines = [AvailabilityInline]


@admin.register(Assignment)
class AssignmentAdmin(OrganiserScopedAdmin):
    workshop_path = "session__workshop"
    list_display = ["session", "group", "facilitator", "locked"]
    list_filter = ["session__workshop", "session", "group", "locked"]
    list_select_related = ["session", "group", "facilitator"]
    search_fields = ["facilitator__name", "group__name", "session__title"]
    fields = ["session", "group", "facilitator", "locked"]
