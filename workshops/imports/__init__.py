"""Importing participants and facilitators from registration-desk files; exporting people and schedules.

One job per module, each importing only those above it:

- `values.py`: cell values into our values (countries, languages, regions, genders, e-mail, availability);
- `headers.py`: which of our columns a file's header names (`COLUMNS`, `ImportKind`, `column_roles`);
- `shapes.py`: rows that are no person (title, blank, footer, withdrawn registration) and rows wider than the header;
- `files.py`: reading a file (decoding, CSV or .xlsx, the header row) within its bounds (`import_file_read`);
- `resources.py`: row validation, the django-import-export resources;
- `uploads.py`: uploaded files kept in the database between preview and apply, the column choices remembered;
- `services.py`: preview and apply (`people_import`), all rows or none, or the valid rows by choice;
- `jobs.py`: the preview and apply of a large file as background jobs with progress, their report kept as JSON;
- `exports.py`: participants and schedule tables as CSV or Excel.
"""

# The names code outside the package used before it was split, for code not yet importing from
# the precise module (code in the project does).
from .exports import EXPORT_FORMATS, dataset_render, participants_table, schedule_table
from .files import MAX_FILE_BYTES, ImportFileError, import_file_read
from .headers import ImportKind
from .resources import FacilitatorResource, ParticipantResource
from .services import ImportReport, people_import
from .values import availability_parse, country_resolve, languages_resolve

__all__ = [
    "EXPORT_FORMATS",
    "MAX_FILE_BYTES",
    "FacilitatorResource",
    "ImportFileError",
    "ImportKind",
    "ImportReport",
    "ParticipantResource",
    "availability_parse",
    "country_resolve",
    "dataset_render",
    "import_file_read",
    "languages_resolve",
    "participants_table",
    "people_import",
    "schedule_table",
]
