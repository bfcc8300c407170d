from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from .enums import IammKind, ItemKind
from .models import IammItem, Section, Volume


class CurriculumView(TemplateView):
    template_name = "curriculum/index.html"

    def get_context_data(self, **kwargs):
        volumes = Volume.objects.prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("position")))
        return super().get_context_data(volumes=volumes, **kwargs)


class SectionView(DetailView):
    template_name = "curriculum/section.html"
    queryset = Section.objects.select_related("volume").prefetch_related("items")
    slug_field = "number"
    slug_url_kwarg = "number"
    context_object_name = "section"

    def get_context_data(self, **kwargs):
        items = list(self.object.items.all())
        groups = [(kind, [item for item in items if item.kind == kind]) for kind in ItemKind]
        return super().get_context_data(item_groups=groups, **kwargs)


class IammView(TemplateView):
    template_name = "curriculum/iamm.html"

    def get_context_data(self, **kwargs):
        items = list(IammItem.objects.all())
        parts = [(kind, [item for item in items if item.kind == kind]) for kind in IammKind]
        return super().get_context_data(parts=parts, **kwargs)
