"""Organisers are staff users who see and edit only the workshops whose team they are in.

Every admin of a workshop-owned model inherits `OrganiserScopedAdmin` and names the path
from its model to the workshop (`workshop_path`). Objects of other workshops are absent from
lists, from choices and from change pages (404), not merely hidden.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404

from .models import Workshop


def is_organiser(user) -> bool:
    return user.is_active and user.is_staff


class OrganiserScopedAdmin(admin.ModelAdmin):
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

    @staticmethod
    def _team_filter(path: str, user) -> dict:
        return {(f"{path}__organisers" if path else "organisers"): user}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**self._team_filter(self.workshop_path, request.user))

    def organised_workshops(self, request):
        return Workshop.objects.organised_by(request.user)

    # Organisers need no per-model permissions: membership of the team is the permission.
    def has_module_permission(self, request):
        return is_organiser(request.user)

    def has_view_permission(self, request, obj=None):
        return is_organiser(request.user) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_organiser(request.user) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_organiser(request.user) and self._owns(request, obj)

    def has_add_permission(self, request, obj=None):
        return is_organiser(request.user)

    def _owns(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = self.scoped_choices.get(db_field.related_model._meta.model_name)
        if path is not None and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(**self._team_filter(path, request.user))
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

    def get_formset(self, request, obj=None, **kwargs):
        # The workshop being edited, for the choices below (None while it is being created).
        request.admin_parent_workshop = obj
        return super().get_formset(request, obj, **kwargs)

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
        return is_organiser(request.user)

    def has_change_permission(self, request, obj=None):
        return is_organiser(request.user)

    def has_add_permission(self, request, obj=None):
        return is_organiser(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_organiser(request.user)
