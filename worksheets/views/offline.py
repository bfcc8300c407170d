"""The service worker's script (static/js/sw.js), served from the root so that its scope covers
every /me/ page in every language (/me/, /es/me/, /fr/me/)."""

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe

# What the offline pages load: kept at install, before the first page's files went by the worker.
PRECACHE = (
    "bootstrap/css/bootstrap.min.css",
    "css/app.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "js/offline_store.js",
    "js/offline.js",
    "js/worksheet.js",
    "js/sign_out.js",
    "js/print.js",
    "js/progress.js",
    "favicon.svg",
)


def _names_are_hashed() -> bool:
    """Static names change with their content (collectstatic's manifest): a kept file is never stale."""
    return isinstance(staticfiles_storage, ManifestFilesMixin)


@require_safe
def service_worker(request):
    """The worker's script with its settings on the first line; `version` changes whenever the
    script or a precached file's name does, so browsers install the new one."""
    # The source tree's file, else collectstatic's copy (kept under its own name beside the hashed one).
    source = Path(finders.find("js/sw.js") or staticfiles_storage.path("js/sw.js")).read_text(encoding="utf-8")
    config = {
        "precache": [static(name) for name in PRECACHE],
        "staticUrl": staticfiles_storage.base_url,
        "staticFirst": _names_are_hashed(),
    }
    config["version"] = hashlib.sha256((json.dumps(config) + source).encode()).hexdigest()[:12]
    response = HttpResponse(
        f"self.OFFLINE = {json.dumps(config)};\n{source}", content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
