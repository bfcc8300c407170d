from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from .models import Workshop
from .programme import programme_public
from .selectors import workshop_list_past, workshop_list_upcoming, workshop_programme


class HomeView(TemplateView):
    template_name = "workshops/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            upcoming=workshop_list_upcoming(today=today), past=workshop_list_past(today=today)[:20], **kwargs
        )


class WorkshopDetailView(DetailView):
    template_name = "workshops/workshop_detail.html"
    queryset = Workshop.objects.published()
    context_object_name = "workshop"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**workshop_programme(workshop=self.object), **kwargs)
        context["programme"] = programme_public(workshop=self.object, sessions=context["sessions"])
        return context
