"""The schema domain: fetching a document safely, recognising its format, validating it with
the library made for it (jsonschema, avro, buf), the compatibility verdict against approved
versions, the field diff, and the directory store of versions.

Used by the activities (`upload_schema`, `finalize_review`), by the bot's document check
before "Review started", and by the benchmarks. Imports nothing of ours but the shared
contract in `workflow`; import-linter checks it (pyproject.toml).
"""
