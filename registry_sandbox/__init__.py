"""The project's own local schema registry, Confluent-compatible: for the embedded run and the
tests only, where no Confluent-compatible registry server can be installed.

`RegistrySandbox` serves Confluent Schema Registry's REST API (subjects, versions, schemas by
id, compatibility levels and tests) from memory, optionally kept in a JSON state file. Its
verdicts come from the project's own schema checkers in `activities`. It imports nothing of
the bot, the Slack stand-in or Slack presentation (an import-linter contract); tests and the
embedded run may import it, the product's code talks to it over HTTP like to any registry.
"""

from registry_sandbox.server import RegistrySandbox
from registry_sandbox.state_file import RegistryStateFileError

__all__ = ["RegistrySandbox", "RegistryStateFileError"]
