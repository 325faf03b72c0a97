"""What a destination receives: the form data ("Fachdaten", JSON) and the metadata of a
submission (FIT-Connect metadata schema 1.0.0: the service by its LeiKa URN, the data's
schema and hash, one entry per attachment with its hash, our reference)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from core.urls import absolute_url

from ..models import Application, Attachment

# The metadata schema per Submission API version (v2: the service travels in the create call,
# not in the metadata).
METADATA_SCHEMA = {
    "v1": "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json",
    "v2": "https://schema.fitko.de/fit-connect/metadata/2.1.0/metadata.schema.json",
}
LEIKA_URN = "urn:de:fim:leika:leistung:"


def service_identifier(application: Application) -> dict[str, str]:
    service = application.service
    return {"identifier": f"{LEIKA_URN}{service.leika_key}", "name": service.name[:255]}


def submission_schema(application: Application, destination: dict[str, Any]) -> str:
    """The schema URI the destination lists for this service (JSON), else our own form's
    address (the service's JSON Schema in our API)."""
    identifier = service_identifier(application)["identifier"]
    for service in destination.get("services", []):
        if service.get("identifier") != identifier:
            continue
        for schema in service.get("submissionSchemas", []):
            if schema.get("mimeType") == "application/json" and schema.get("schemaUri"):
                return str(schema["schemaUri"])
    return absolute_url(f"/api/v1/services/{application.service.slug}") + "#/form_schema"


def form_data(application: Application, schema_uri: str) -> bytes:
    """The Fachdaten: the form as the citizen filled it in, with who applied and where."""
    applicant = application.applicant
    location = application.location
    body = {
        "$schema": schema_uri,
        "aktenzeichen": application.reference,
        "leistung": {
            "leikaSchluessel": application.service.leika_key,
            "name": application.service.name,
        },
        "eingereichtAm": application.created_at.isoformat(),
        "antragsteller": (
            {
                "name": applicant.display_name,
                "email": applicant.email,
                "vertrauensniveau": applicant.assurance_level,
            }
            if applicant is not None
            else None
        ),
        "ort": (
            {"anschrift": application.address, "lat": location.y, "lon": location.x}
            if location is not None
            else {"anschrift": application.address}
        ),
        "angaben": application.data,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def sha512(data: bytes) -> dict[str, str]:
    return {"type": "sha512", "content": hashlib.sha512(data).hexdigest()}


def metadata(
    application: Application,
    *,
    schema_uri: str,
    data: bytes,
    attachments: list[tuple[Attachment, str, bytes]],
    version: str = "v1",
) -> bytes:
    """`attachments`: (attachment, announced id, its plain bytes)."""
    body: dict[str, Any] = {
        "$schema": METADATA_SCHEMA.get(version, METADATA_SCHEMA["v1"]),
        "contentStructure": {
            "data": {
                "hash": sha512(data),
                "submissionSchema": {"schemaUri": schema_uri, "mimeType": "application/json"},
            },
            "attachments": [
                {
                    "attachmentId": attachment_id,
                    "hash": sha512(content),
                    "purpose": "attachment",
                    "filename": attachment.original_name,
                    "mimeType": attachment.content_type,
                    "description": attachment.field,
                }
                for attachment, attachment_id, content in attachments
            ],
        },
        "additionalReferenceInfo": {
            "senderReference": application.reference,
            "applicationDate": application.created_at.date().isoformat(),
        },
    }
    if version == "v1":
        body["publicServiceType"] = service_identifier(application)
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
