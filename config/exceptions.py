"""The one DRF exception handler: services raise Django and domain errors, the API answers.

API views call services and let their errors through; this maps them to API errors (the HTML
pages use the same messages through core.errors):

* Django `ValidationError` → 400 `{field: [messages]}` ("non_field_errors" without a field);
* Django `PermissionDenied` (tracker.permissions.NotPermitted) → 403 `{"detail": message}`;
* `boundaries.services.OutsideServiceArea` → 400 on `lat` and `lon`;
* `core.images.PhotoRejected` → 400 on the view's photo field (`photo_error_field`, default
  "photos").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from boundaries.services import OutsideServiceArea
from core.errors import error_dict
from core.images import PhotoRejected


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(error_dict(exc))
    elif isinstance(exc, OutsideServiceArea):
        exc = ValidationError({"lat": [str(exc)], "lon": [str(exc)]})
    elif isinstance(exc, PhotoRejected):
        field = getattr(context.get("view"), "photo_error_field", "photos")
        exc = ValidationError({field: [str(exc)]})
    return exception_handler(exc, context)
