"""The organisers' admin: every page scoped to the organiser's team (`scoping`), the workshops' models (`workshops`) and the worksheets' (`worksheets`).

Django's autodiscovery imports this package; importing the two modules registers their models.
The admin's URL names follow each model's app label (`admin:workshops_participant_change`), as before.
"""

# Imported for their registrations, in the order the apps were registered before they moved here.
from . import workshops  # noqa: F401, I001
from . import worksheets  # noqa: F401, I001
