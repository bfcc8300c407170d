from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from organise.admin.scoping import view_on_site
from organise.views.home import home as organisers_home
from organise.views.home import sign_in as organisers_sign_in
from organise.views.setup import setup_new
from worksheets.views.offline import service_worker

from .views import favicon, healthz, language_switch

admin.site.site_header = _("Break-out sessions: organisers")
admin.site.site_title = _("Organisers")
admin.site.index_title = _("Your workshops")

urlpatterns = [
    path("i18n/setlang/", language_switch, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("sw.js", service_worker, name="service_worker"),  # at the root: its scope covers /me/ in every language
]

urlpatterns += i18n_patterns(
    # Before the admin's own: its "view on site" shortcut, limited to the organiser's team.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site), name="view_on_site"),
    path("admin/login/", organisers_sign_in, name="organisers_sign_in"),
    path("admin/", admin.site.urls),
    path("organise/", organisers_home, name="organisers_home"),
    path("organise/new/", setup_new, name="setup_new"),  # before organise/<slug>/: "new" is no workshop's slug
    path("curriculum/", include("curriculum.urls")),
    path("me/", include("worksheets.urls")),
    path("organise/<slug:slug>/", include("organise.urls")),
    path("", include("workshops.urls")),
    prefix_default_language=False,
)
