"""The guided set-up of a new workshop: details, language modes, rooms and groups, sessions; then the
questions, the people, the schedule and the invitations, each on its own page.

Every step saves as it goes, so it can be left and resumed: the steps' list shows what is done. The
Django admin stays for detail edits.
"""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from worksheets.services import questions_create_defaults
from workshops.models import BreakoutSession, Group, LanguageMode, Room
from workshops.rules import is_staff_member
from workshops.services import workshop_rezone

from ..decorators import organiser_required
from ..setup_forms import PRESETS, LanguageModesForm, RoomForm, SessionForm, WorkshopDetailsForm


def _in_every_language(field: str, text) -> dict:
    """The columns of a translated field for `text`.

    What an organiser types fills the default language's column (English), which every language
    falls back to, whatever the language of the page it was typed on. A ready-made name (a lazy
    translation) fills every language with its own translation.
    """
    if isinstance(text, str):
        return {f"{field}_en": text}
    values = {}
    for language in ("en", "es", "fr"):
        with translation.override(language):
            values[f"{field}_{language}"] = str(text)
    return values


def setup_steps(workshop, *, current: str) -> list[dict]:
    """The steps of the set-up in order, each with its page, whether it is done, and whether it is this one."""
    slug = workshop.slug
    counts = {
        "modes": LanguageMode.objects.filter(workshop=workshop).count(),
        "rooms": Room.objects.filter(workshop=workshop).count(),
        "groups": Group.objects.filter(workshop=workshop).count(),
        "sessions": BreakoutSession.objects.filter(workshop=workshop).count(),
        "questions": workshop.questions.count(),
        "people": workshop.participants.count(),
        "placed": workshop.participants.filter(group__isnull=False).count(),
        "invited": workshop.invitations.exists(),
    }
    steps = [
        ("details", _("Details"), reverse("organise:setup_details", kwargs={"slug": slug}), True),
        (
            "languages",
            _("Language modes"),
            reverse("organise:setup_languages", kwargs={"slug": slug}),
            counts["modes"] > 0,
        ),
        ("rooms", _("Rooms and groups"), reverse("organise:setup_rooms", kwargs={"slug": slug}), counts["groups"] > 0),
        ("sessions", _("Sessions"), reverse("organise:setup_sessions", kwargs={"slug": slug}), counts["sessions"] > 0),
        (
            "questions",
            _("Worksheet questions"),
            reverse("organise:questions", kwargs={"slug": slug}),
            counts["questions"] > 0,
        ),
        ("people", _("People"), reverse("organise:import", kwargs={"slug": slug}), counts["people"] > 0),
        (
            "schedule",
            _("Schedule"),
            reverse("organise:board", kwargs={"slug": slug}),
            counts["people"] > 0 and counts["placed"] == counts["people"],
        ),
        ("invitations", _("Invitations"), reverse("organise:invitations", kwargs={"slug": slug}), counts["invited"]),
    ]
    return [
        {"key": key, "label": label, "url": url, "done": bool(done), "current": key == current}
        for key, label, url, done in steps
    ]


def _next_url(workshop, current: str) -> str:
    steps = setup_steps(workshop, current=current)
    keys = [step["key"] for step in steps]
    return steps[keys.index(current) + 1]["url"]


def _page(request, workshop, step: str, template: str, context: dict, status=200):
    return render(
        request,
        f"organise/setup/{template}",
        {"workshop": workshop, "steps": setup_steps(workshop, current=step), "step": step, **context},
        status=status,
    )


@staff_member_required
def setup_new(request):
    """Step 1 for a workshop that does not exist yet: it is created unpublished, with its creator in its team."""
    form = WorkshopDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            workshop = form.save(commit=False)
            workshop.is_published = False
            workshop.save()
            if is_staff_member(request.user):
                workshop.organisers.add(request.user)
            questions_create_defaults(workshop=workshop)
        messages.success(request, _("The workshop is created, unpublished. Next: the languages of its rooms."))
        return redirect("organise:setup_languages", slug=workshop.slug)
    return render(
        request, "organise/setup/details.html", {"form": form, "workshop": None, "steps": [], "step": "details"}
    )


@organiser_required
def setup_details(request, slug):
    workshop = request.workshop
    form = WorkshopDetailsForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            workshop = form.save()
            # A corrected zone keeps every session at its time of day, as in the admin.
            if "timezone" in form.changed_data:
                workshop_rezone(workshop=workshop, previous_timezone=form.initial["timezone"])
        messages.success(request, _("The details are saved."))
        return redirect(_next_url(workshop, "details"))
    return _page(request, workshop, "details", "details.html", {"form": form})


@organiser_required
def setup_languages(request, slug):
    workshop = request.workshop
    form = LanguageModesForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        existing = {tuple(mode.languages) for mode in LanguageMode.objects.filter(workshop=workshop)}
        created = 0
        specs = [PRESETS[key] for key in form.cleaned_data["presets"]]
        if form.cleaned_data["name"]:
            specs.append(
                {
                    "name": form.cleaned_data["name"],
                    "languages": form.cleaned_data["languages"],
                    "interpretation": form.cleaned_data["interpretation"],
                }
            )
        for spec in specs:
            if tuple(spec["languages"]) in existing:
                continue
            LanguageMode.objects.create(
                workshop=workshop,
                **_in_every_language("name", spec["name"]),
                languages=spec["languages"],
                interpretation=spec["interpretation"],
            )
            existing.add(tuple(spec["languages"]))
            created += 1
        messages.success(request, _("%(count)d language mode(s) added.") % {"count": created})
        return redirect("organise:setup_languages", slug=slug)
    modes = list(LanguageMode.objects.filter(workshop=workshop).order_by("pk"))
    return _page(request, workshop, "languages", "languages.html", {"form": form, "modes": modes})


@organiser_required
def setup_rooms(request, slug):
    workshop = request.workshop
    modes = LanguageMode.objects.filter(workshop=workshop)
    if not modes.exists():
        messages.info(request, _("A room needs a language mode: add one first."))
        return redirect("organise:setup_languages", slug=slug)
    form = RoomForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            room = form.save()
            if form.cleaned_data["group_name"]:
                Group.objects.create(workshop=workshop, name_en=form.cleaned_data["group_name"], room=room)
        messages.success(request, _("%(room)s is added.") % {"room": room.name})
        return redirect("organise:setup_rooms", slug=slug)
    rooms = list(Room.objects.filter(workshop=workshop).select_related("language_mode", "group").order_by("name"))
    return _page(request, workshop, "rooms", "rooms.html", {"form": form, "rooms": rooms})


@organiser_required
def setup_sessions(request, slug):
    workshop = request.workshop
    form = SessionForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        start, end = form.moments()
        BreakoutSession.objects.create(
            workshop=workshop,
            title_en=form.cleaned_data["title"],
            start=start,
            end=end,
            section=form.cleaned_data["section"],
            facilitators_required=form.cleaned_data["facilitators_required"],
        )
        messages.success(request, _("“%(title)s” is added.") % {"title": form.cleaned_data["title"]})
        return redirect("organise:setup_sessions", slug=slug)
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start"))
    return _page(request, workshop, "sessions", "sessions.html", {"form": form, "sessions": sessions})
