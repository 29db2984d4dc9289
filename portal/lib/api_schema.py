"""Document the error answers every API operation can give.

drf-spectacular lists what a view declares; the errors that DRF itself
returns for any view (no or bad credentials, no permission, an unknown
object, a throttled client, invalid input) would otherwise be missing, and
a client generated from the schema would not expect them. This hook adds
them to each operation that does not already say otherwise:

* 401 and 403 everywhere (TokenAuthentication comes first, so missing
  credentials answer 401 with a ``WWW-Authenticate`` challenge);
* 404 where the path names an object, or a page of a list;
* 400 where the operation takes a body or query parameters;
* 415 where it takes a body (an unknown or malformed Content-Type);
* 429 everywhere, since every view is throttled.
"""

from __future__ import annotations

from typing import Any

DETAIL = "ErrorDetail"
FIELDS = "FieldErrors"

_COMPONENTS: dict[str, dict[str, Any]] = {
    DETAIL: {
        "type": "object",
        "description": "An error about the request as a whole.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELDS: {
        "type": "object",
        "description": (
            "Invalid input: each key is a field (or non_field_errors) and "
            "holds what is wrong with it."
        ),
        "additionalProperties": {},
    },
}

_DESCRIPTIONS = {
    "400": "Invalid input.",
    "401": (
        "No credentials, or credentials that are not valid (an unknown, "
        "expired or revoked token)."
    ),
    "403": (
        "Signed in, but not allowed to do this, or a read-only token on a "
        "method other than GET, HEAD or OPTIONS."
    ),
    "404": "No such object, or not one the caller may see.",
    "415": "The body's Content-Type is not one this operation reads, or the "
    "body cannot be parsed as it says.",
    "429": "Too many requests; retry after the time in Retry-After.",
}

_METHODS = ("get", "put", "post", "patch", "delete")


def _response(code: str, component: str) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[code],
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{component}"}
            }
        },
    }


def document_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook (POSTPROCESSING_HOOKS)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _COMPONENTS.items():
        schemas.setdefault(name, schema)
    for path, item in result.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            wanted = ["401", "403", "429"]
            if "{" in path or any(
                parameter.get("name") == "page" for parameter in parameters
            ):
                # A page number past the end is "Invalid page.": 404 too.
                wanted.append("404")
            if "requestBody" in operation or any(
                parameter.get("in") == "query" for parameter in parameters
            ):
                wanted.append("400")
            if "requestBody" in operation:
                wanted.append("415")
            for code in wanted:
                if code not in responses:
                    responses[code] = _response(
                        code, FIELDS if code == "400" else DETAIL
                    )
    return result
