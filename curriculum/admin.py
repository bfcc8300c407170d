"""The curriculum is shared by every workshop: superusers edit it, organisers read it."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import IammItem, Section, SectionItem, Volume


class ReadOnlyForOrganisers:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SectionInline(ReadOnlyForOrganisers, TranslationTabularInline):
    model = Section
    fields = ["number", "title"]
    extra = 0
    show_change_link = True


@admin.register(Volume)
class VolumeAdmin(ReadOnlyForOrganisers, TabbedTranslationAdmin):
    list_display = ["number", "title"]
    fields = ["number", "title", "summary"]
    inlines = [SectionInline]


class SectionItemInline(ReadOnlyForOrganisers, TranslationTabularInline):
    model = SectionItem
    fields = ["kind", "order", "text"]
    extra = 0

    def get_queryset(self, request):
        # Each row is titled with its item's name, which names its section: fetch it with the rows.
        return super().get_queryset(request).select_related("section")


@admin.register(Section)
class SectionAdmin(ReadOnlyForOrganisers, TabbedTranslationAdmin):
    list_display = ["number", "title", "volume", "is_sample_content"]
    list_filter = ["volume", "is_sample_content"]
    list_select_related = ["volume"]
    search_fields = ["number", "title"]
    fields = ["volume", "number", "title", "summary", "is_sample_content"]
    inlines = [SectionItemInline]


@admin.register(IammItem)
class IammItemAdmin(ReadOnlyForOrganisers, TabbedTranslationAdmin):
    list_display = ["title", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["title"]
    fields = ["kind", "order", "title", "text"]
