"""One invalid document per format, and the words its library uses about it."""

from __future__ import annotations

import json

INVALID_DOCUMENTS: dict[str, tuple[str, str, list[str]]] = {
    # name: (file name, document, what the refusal must say)
    "avro": (
        "order.avsc",
        json.dumps(
            {
                "type": "record",
                "name": "Order",
                "fields": [{"name": "id", "type": "string"}, {"name": "qty", "type": "strng"}],
            }
        ),
        ['avro says Type property "strng" not a valid Avro schema', "(in field `qty`)"],
    ),
    "json-schema": (
        "order.json",
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "properties": {"qty": {"type": "strng"}},
            }
        ),
        [
            "jsonschema says 'strng' is not valid under any of the given schemas",
            "$.properties.qty.type",
        ],
    ),
    "protobuf": (
        "order.proto",
        'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  strng qty = 1;\n}\n',
        ["buf build says line 5, column 3: cannot find `strng` in this scope"],
    ),
}
