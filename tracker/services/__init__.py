"""State changes of reports. Every change is a function of this package: atomic, checked,
recorded as a ReportEvent, with follow-up work queued on commit (docs/architecture.md,
convention 1).

* intake: citizens file, confirm and support reports;
* workflow: status changes, rejection, forwarding; duplicates: merging;
* handling: assignment, taking, priority, notes, photos;
* bulk: the same for many reports, one result each;
* erasure: guest reports joining an account, anonymising an erased one.
"""

from .bulk import (
    BulkResult,
    bulk_assign,
    bulk_merge_duplicates,
    bulk_set_priority,
    bulk_transition,
)
from .common import MAX_NOTE
from .duplicates import report_mark_duplicate
from .erasure import (
    report_mark_description_clean,
    reports_anonymise,
    reports_attach_to_account,
)
from .handling import (
    MAX_STAFF_PHOTOS,
    report_add_note,
    report_add_photo,
    report_assign,
    report_set_priority,
    report_take,
)
from .intake import (
    INTAKE_PLACE,
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    Contact,
    report_confirm,
    report_create,
    report_support,
)
from .workflow import (
    report_close,
    report_forward_to_authority,
    report_reject,
    report_reopen,
    report_transition,
)

__all__ = [
    "INTAKE_PLACE",
    "MAX_DESCRIPTION",
    "MAX_NOTE",
    "MAX_PHOTOS",
    "MAX_STAFF_PHOTOS",
    "BulkResult",
    "Contact",
    "bulk_assign",
    "bulk_merge_duplicates",
    "bulk_set_priority",
    "bulk_transition",
    "report_add_note",
    "report_add_photo",
    "report_assign",
    "report_close",
    "report_confirm",
    "report_create",
    "report_forward_to_authority",
    "report_mark_description_clean",
    "report_mark_duplicate",
    "report_reject",
    "report_reopen",
    "report_set_priority",
    "report_support",
    "report_take",
    "report_transition",
    "reports_anonymise",
    "reports_attach_to_account",
]
