"""Media on S3-compatible object storage (django-storages), still served by the app.

Several web nodes share one bucket; the files' URLs stay under MEDIA_URL, so every download
goes through core.media's permission check instead of a public bucket URL.
Chosen with DJANGO_MEDIA_STORAGE=s3 (config/settings/base.py, docs/deployment.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class AppServedS3Storage(S3Storage):
    def url(self, name: str, *args: Any, **kwargs: Any) -> str:
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"
