"""JSON schemas for GeoReport v2 responses, written from the spec's rules
(wiki.open311.org/GeoReport_v2): ids and codes are strings, lat/long numbers,
metadata/variable/required booleans, datetimes W3C/ISO 8601 with a time zone."""

from __future__ import annotations

from typing import Any

from tracker.models import Status

W3_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
DATATYPES = ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]

_datetime = {"type": "string", "pattern": W3_DATETIME}
_text_or_null = {"type": ["string", "null"]}

ERRORS: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "integer"},
            "description": {"type": "string", "minLength": 1},
        },
    },
}

DISCOVERY: dict[str, Any] = {
    "type": "object",
    "required": ["changeset", "contact", "endpoints"],
    "additionalProperties": False,
    "properties": {
        "changeset": _datetime,
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "additionalProperties": False,
                "properties": {
                    "specification": {"const": "http://wiki.open311.org/GeoReport_v2"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "changeset": _datetime,
                    "type": {"enum": ["production", "test"]},
                    "formats": {
                        "type": "array",
                        "items": {"enum": ["text/xml", "application/json"]},
                        "contains": {"const": "text/xml"},
                    },
                },
            },
        },
    },
}

SERVICES: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "additionalProperties": False,
        "properties": {
            "service_code": {"type": "string", "minLength": 1},
            "service_name": {"type": "string", "minLength": 1},
            "description": _text_or_null,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": _text_or_null,
            "group": _text_or_null,
        },
    },
}

_value = {
    "type": "object",
    "required": ["key", "name"],
    "additionalProperties": False,
    "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
}

SERVICE_DEFINITION: dict[str, Any] = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "additionalProperties": False,
    "properties": {
        "service_code": {"type": "string", "minLength": 1},
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "variable",
                    "code",
                    "datatype",
                    "required",
                    "datatype_description",
                    "order",
                    "description",
                ],
                "additionalProperties": False,
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string", "minLength": 1},
                    "datatype": {"enum": DATATYPES},
                    "required": {"type": "boolean"},
                    "datatype_description": _text_or_null,
                    "order": {"type": "integer", "minimum": 1},
                    "description": {"type": "string"},
                    "values": {"type": "array", "items": _value},
                },
                # list datatypes carry their values
                "if": {"properties": {"datatype": {"enum": ["singlevaluelist", "multivaluelist"]}}},
                "then": {"required": ["values"], "properties": {"values": {"minItems": 1}}},
            },
        },
    },
}

_request_properties: dict[str, Any] = {
    "service_request_id": {"type": "string", "pattern": r"^\d+$"},
    "status": {"enum": ["open", "closed"]},
    "status_notes": _text_or_null,
    "service_name": {"type": "string"},
    "service_code": {"type": "string"},
    "description": _text_or_null,
    "agency_responsible": _text_or_null,
    "service_notice": _text_or_null,
    "requested_datetime": _datetime,
    "updated_datetime": _datetime,
    "expected_datetime": _datetime,
    "address": _text_or_null,
    "address_id": _text_or_null,
    "zipcode": _text_or_null,
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "long": {"type": "number", "minimum": -180, "maximum": 180},
    "media_url": {"type": ["string", "null"], "pattern": "^https?://"},
}

_request: dict[str, Any] = {
    "type": "object",
    "required": [
        "service_request_id",
        "status",
        "service_name",
        "service_code",
        "requested_datetime",
        "updated_datetime",
        "lat",
        "long",
    ],
    "additionalProperties": False,
    "properties": _request_properties,
}

SERVICE_REQUESTS: dict[str, Any] = {"type": "array", "items": _request}

EXTENDED_SERVICE_REQUESTS: dict[str, Any] = {
    "type": "array",
    "items": {
        **_request,
        "required": [*_request["required"], "extended_attributes"],
        "properties": {
            **_request_properties,
            "extended_attributes": {
                "type": "object",
                "required": ["detailed_status", "title", "media_urls"],
                "additionalProperties": False,
                "properties": {
                    "detailed_status": {"enum": list(Status.values)},
                    "title": {"type": "string"},
                    "media_urls": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^https?://"},
                    },
                },
            },
        },
    },
}

CREATED: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id"],
        "additionalProperties": False,
        "properties": {
            "service_request_id": {"type": "string", "pattern": r"^\d+$"},
            "token": {"type": "string", "minLength": 16},
            "service_notice": _text_or_null,
            "account_id": _text_or_null,
        },
    },
}

TOKEN: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "additionalProperties": False,
        "properties": {
            "service_request_id": {"type": "string", "pattern": r"^\d+$"},
            "token": {"type": "string"},
        },
    },
}

FMS_STATUSES = [
    "open",
    "investigating",
    "action_scheduled",
    "in_progress",
    "fixed",
    "no_further_action",
    "duplicate",
    "internal_referral",
]

# FixMyStreet's servicerequestupdates extension (as mySociety's open311-adapter serves it).
UPDATES: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["update_id", "service_request_id", "status", "updated_datetime"],
        "additionalProperties": False,
        "properties": {
            "update_id": {"type": "string", "pattern": r"^\d+$"},
            "service_request_id": {"type": "string", "pattern": r"^\d+$"},
            "status": {"enum": FMS_STATUSES},
            "updated_datetime": _datetime,
            "description": _text_or_null,
            "media_url": {"type": ["string", "null"]},
            "external_status_code": {"enum": list(Status.values)},
        },
    },
}

# The answer to POST servicerequestupdates (mySociety open311-adapter's output schema).
UPDATE_CREATED: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["update_id"],
        "additionalProperties": False,
        "properties": {
            "update_id": {"type": "string", "pattern": r"^\d+$"},
            "account_id": _text_or_null,
        },
    },
}
