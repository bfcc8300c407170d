"""Organisers are staff users who see and edit only the workshops whose team they are in.

Every admin of a workshop-owned model inherits `OrganiserScopedAdmin` and names the path
from its model to the workshop (`workshop_path`). Objects of other workshops are absent from
lists, from choices and from change pages (404), not merely hidden.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from workshops.models import Workshop
from workshops.rules import is_staff_member, workshops_organised_by
from workshops.timezones import workshop_localtime, workshop_of, workshop_timezone_activate

from .deletion import deleted_objects_summary
from .forms import WorkshopZoneForm, WorkshopZoneInlineFormSet


def team_members(user):
    """The staff users an organiser may pick for a team: themselves and the members of their teams
    (every active staff user for a superuser). Anyone else is added by exact username or e-mail."""
    users = get_user_model().objects.filter(is_staff=True, is_active=True)
    if user.is_superuser:
        return users
    return users.filter(Q(pk=user.pk) | Q(organised_workshops__organisers=user)).distinct()


class TeamRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a related workshop object, offering only the organiser's team's objects.

    Django's own offers every row of the related model: other teams' workshop titles, session
    titles and group names. Models outside any workshop (curriculum sections) keep every choice.
    """

    def field_choices(self, field, request, model_admin):
        path = OrganiserScopedAdmin.scoped_choices.get(field.related_model._meta.model_name)
        if path is None or request.user.is_superuser:
            return super().field_choices(field, request, model_admin)
        queryset = field.related_model._default_manager.filter(workshops_organised_by(request.user, path=path))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


# -- times in the workshop's zone ------------------------------------------------------------------
# Django reads typed date-times, and shows stored ones, in the current zone: every admin page
# about a workshop's objects makes that workshop's zone current. A change page knows the workshop
# from the object (`get_object`); a form that chooses the workshop (or, for a new workshop, its
# zone) is read in the zone chosen in it, and an inline in the zone of the object it belongs to
# (`WorkshopZoneForm`, `WorkshopZoneInlineFormSet`).

ZONE_KNOWN = _("Times are in the workshop’s time zone, %(zone)s.")
ZONE_CHOSEN_UNDER_DATES = _("Times are in the workshop’s time zone, chosen under “Dates”.")
ZONE_OF_WORKSHOP_CHOSEN = _("Times are in the time zone of the workshop chosen above.")


def zone_help_texts(model, *, workshop, creating_workshop: bool) -> dict:
    """Help texts saying, in words, which zone the model's date-time fields are typed in."""
    if workshop is not None and workshop.timezone:
        text = ZONE_KNOWN % {"zone": workshop.timezone}
    else:
        text = ZONE_CHOSEN_UNDER_DATES if creating_workshop else ZONE_OF_WORKSHOP_CHOSEN
    return {
        field.name: text
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField) and field.editable
    }


def workshop_datetime(moment, workshop) -> str:
    """A stored date-time as the back office shows it, on the clock of the workshop's zone."""
    return formats.localize(workshop_localtime(moment, workshop))


class OrganiserScopedAdmin(admin.ModelAdmin):
    form = WorkshopZoneForm
    workshop_path: str = "workshop"
    # Foreign keys offered in forms: model name -> path from that model to the workshop.
    scoped_choices: dict[str, str] = {
        "workshop": "",
        "room": "workshop",
        "group": "workshop",
        "languagemode": "workshop",
        "breakoutsession": "workshop",
        "participant": "workshop",
        "facilitator": "workshop",
        "question": "workshop",
        "worksheet": "participant__workshop",
    }

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(workshops_organised_by(request.user, path=self.workshop_path))

    def get_list_filter(self, request):
        # Every filter on a relation offers only the team's objects, whatever the admin lists.
        return [self._team_scoped(spec) for spec in super().get_list_filter(request)]

    def _team_scoped(self, spec):
        if isinstance(spec, str) and get_fields_from_path(self.model, spec)[-1].is_relation:
            return (spec, TeamRelatedFieldListFilter)
        return spec

    def organised_workshops(self, request):
        return Workshop.objects.organised_by(request.user)

    # Organisers need no per-model permissions: membership of the team is the permission.
    def has_module_permission(self, request):
        return is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_staff_member(request.user) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_staff_member(request.user) and self._owns(request, obj)

    def has_add_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def _owns(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        # The delete page asks this of every row it lists: `deleted_objects` asked once per model.
        known = request.__dict__.get("_owned_pks", {}).get(self.model)  # (pks asked about, pks owned)
        if known is not None and obj.pk in known[0]:
            return obj.pk in known[1]
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_deleted_objects(self, objs, request):
        return deleted_objects(objs, request, self.admin_site)

    def workshop_of_object(self, obj):
        for name in filter(None, self.workshop_path.split("__")):
            obj = getattr(obj, name)
        return obj

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The page about this object shows (and reads) times in its workshop's zone.
            workshop_timezone_activate(workshop=self.workshop_of_object(obj))
        return obj

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        typed_zone = getattr(form, "typed_zone", None)  # every form here is a WorkshopZoneForm
        if form.is_bound and typed_zone is not None and (zone := typed_zone()) is not None:
            # A form sent back with errors is shown in the zone it was typed in (its inputs keep
            # what was typed; the admin's "Enter times in the … timezone" note names that zone).
            timezone.activate(zone)
        elif obj is None:
            # The zone is chosen on this page: the admin's own note would name the server's.
            context["admin_zone_unknown"] = True
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, **kwargs):
        workshop = self.workshop_of_object(obj) if obj is not None else None
        help_texts = zone_help_texts(self.model, workshop=workshop, creating_workshop=self.model is Workshop)
        kwargs["help_texts"] = {**help_texts, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = self.scoped_choices.get(db_field.related_model._meta.model_name)
        if path is not None and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                workshops_organised_by(request.user, path=path)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _refuse_foreign(self, request, object_id):
        if object_id and not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._refuse_foreign(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._refuse_foreign(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_foreign(request, object_id)
        return super().history_view(request, object_id, extra_context)


class OrganiserScopedInline:
    """For inlines inside a workshop's page: choices limited to that workshop, permissions by team."""

    scoped_choices = OrganiserScopedAdmin.scoped_choices
    formset = WorkshopZoneInlineFormSet
    template = "admin/workshops/zone_tabular.html"  # says the zone above the rows (`zone_note`)

    def get_formset(self, request, obj=None, **kwargs):
        # The workshop being edited, for the choices below (None while it is being created).
        request.admin_parent_workshop = obj
        help_texts = zone_help_texts(
            self.model, workshop=workshop_of(obj), creating_workshop=self.parent_model is Workshop
        )
        kwargs["help_texts"] = {**help_texts, **kwargs.get("help_texts", {})}
        formset = super().get_formset(request, obj, **kwargs)
        # The same words, visible above the rows (a tabular inline shows help texts as tooltips).
        formset.zone_note = next(iter(help_texts.values()), "")
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = self.scoped_choices.get(db_field.related_model._meta.model_name)
        if path:
            parent = getattr(request, "admin_parent_workshop", None)
            kwargs["queryset"] = db_field.related_model._default_manager.filter(**{path: parent})
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            # Every inline row would otherwise run the same choices query again: evaluate it once
            # per request, so the page's query count does not grow with its rows.
            cache = request.__dict__.setdefault("_inline_choices", {})
            key = (self.model, db_field.name)
            if key not in cache:
                cache[key] = list(field.choices)
            field.choices = cache[key]
        return field

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_add_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_staff_member(request.user)


def _owned_rows(model_admin, request):
    """The rows of the admin's model an organiser may delete: those of their team's workshops."""
    if isinstance(model_admin, OrganiserScopedAdmin) and not request.user.is_superuser:
        return model_admin.get_queryset(request)
    return None


def deleted_objects(objs, request, admin_site):
    """The delete page's answer (`get_deleted_objects`): counted per kind, in queries that do not grow."""
    return deleted_objects_summary(objs, request, admin_site, owned=_owned_rows)


def view_on_site(request, content_type_id, object_id):
    """Django's "view on site" shortcut (`/admin/r/<type>/<id>/`), for an object the person may see
    in the back office: 404 for another team's (an unpublished workshop's address is not given
    away) and for any model without an admin page of ours. A superuser may follow any."""
    if not request.user.is_superuser:
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        model_admin = admin.site._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404
        try:
            obj = model_admin.get_queryset(request).get(pk=object_id)
        except (ObjectDoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        if not model_admin.has_view_permission(request, obj):
            raise Http404
    return shortcut(request, content_type_id, object_id)
