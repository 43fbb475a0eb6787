"""The API's documentation page, rendered from its OpenAPI description."""

from django.shortcuts import render

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"[{_schema_name(schema.get('items'))}]"
    if "anyOf" in schema:
        return " | ".join(_schema_name(option) for option in schema["anyOf"])
    return schema.get("type", "")


def _operations(spec: dict) -> list[dict]:
    operations = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _schema_name(p.get("schema")),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _schema_name(body.get("schema")),
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "schema": _schema_name(
                                response.get("content", {}).get("application/json", {}).get("schema")
                            ),
                        }
                        for status, response in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    return operations


def _schemas(spec: dict) -> list[dict]:
    schemas = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {
                "name": field,
                "type": _schema_name(definition) or ", ".join(map(str, definition.get("enum", []))),
                "required": field in required,
            }
            for field, definition in schema.get("properties", {}).items()
        ]
        schemas.append({"name": name, "fields": fields})
    return schemas


def api_docs(request):
    from takeroot.api import api

    spec = api.get_openapi_schema(path_prefix="/api/v1/")
    return render(
        request,
        "core/api_docs.html",
        {
            "spec": spec,
            "operations": _operations(spec),
            "schemas": _schemas(spec),
        },
    )
