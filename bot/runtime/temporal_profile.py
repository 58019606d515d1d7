"""The Temporal client's connection, read the way the SDK reads it (`temporalio.envconfig`).

A profile in `temporal.toml` (`TEMPORAL_CONFIG_FILE`, else the SDK's default location; which
one: `TEMPORAL_PROFILE`, else `default`) gives the cluster, and every `TEMPORAL_*` variable the
SDK knows overrides it. The bot's settings join in as variables, so what `.env` sets counts as
set in the environment: environment and `.env` first, then the profile, then the defaults.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings
from temporalio.envconfig import ClientConfigProfile, ClientConnectConfig, DataSource

DEFAULT_ADDRESS = "localhost:7233"
DEFAULT_NAMESPACE = "default"

# The settings that are the SDK's own variables, by setting name.
SDK_VARIABLES: dict[str, str] = {
    name: name.upper()
    for name in (
        "temporal_address",
        "temporal_namespace",
        "temporal_api_key",
        "temporal_tls",
        "temporal_tls_client_cert_path",
        "temporal_tls_client_cert_data",
        "temporal_tls_client_key_path",
        "temporal_tls_client_key_data",
        "temporal_tls_server_ca_cert_path",
        "temporal_tls_server_ca_cert_data",
        "temporal_tls_server_name",
        "temporal_profile",
        "temporal_config_file",
    )
}

# Where each certificate may come from, for a sentence naming what could not be read.
_CERTIFICATES = (
    ("client certificate", "TEMPORAL_TLS_CLIENT_CERT_PATH", "client_cert"),
    ("client key", "TEMPORAL_TLS_CLIENT_KEY_PATH", "client_private_key"),
    ("server CA certificate", "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "server_root_ca_cert"),
)


class TemporalConnectionSettings(BaseSettings):
    """The connection's settings, part of every process's settings (`bot.runtime.settings`)."""

    # Unset, the address and the namespace are the profile's, if it names them.
    temporal_address: str = DEFAULT_ADDRESS
    temporal_namespace: str = DEFAULT_NAMESPACE
    temporal_api_key: SecretStr | None = None
    temporal_tls: bool | None = None
    temporal_tls_client_cert_path: Path | None = None
    temporal_tls_client_cert_data: str | None = None
    temporal_tls_client_key_path: Path | None = None
    temporal_tls_client_key_data: SecretStr | None = None
    temporal_tls_server_ca_cert_path: Path | None = None
    temporal_tls_server_ca_cert_data: str | None = None
    temporal_tls_server_name: str | None = None
    temporal_profile: str | None = None
    temporal_config_file: Path | None = None

    @model_validator(mode="after")
    def _apply_profile(self) -> TemporalConnectionSettings:
        # Read at start, so that a profile or certificate that cannot be used stops the process
        # with a sentence. An address from the profile counts as set: the all-in-one run then
        # starts no Temporal server of its own.
        profile = load_profile(self.temporal_environment())
        connect_config(profile)
        if profile.address and "temporal_address" not in self.model_fields_set:
            self.temporal_address = profile.address
        if profile.namespace and "temporal_namespace" not in self.model_fields_set:
            self.temporal_namespace = profile.namespace
        return self

    def temporal_environment(self) -> dict[str, str]:
        """The variables for the SDK's loader: the process's `TEMPORAL_*`, then these settings
        where set (from the environment, `.env` or code), which therefore win over a profile."""
        given: dict[str, str] = {}
        for name, variable in SDK_VARIABLES.items():
            value = getattr(self, name)
            if value is None or name not in self.model_fields_set:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, bool):
                value = "true" if value else "false"
            given[variable] = str(value)
        return profile_environment(given)

    def temporal_connect_config(self) -> ClientConnectConfig:
        """`Client.connect`'s arguments for the configured cluster."""
        return connect_config(load_profile(self.temporal_environment()))


def profile_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """The variables the SDK reads: the process's `TEMPORAL_*` ones (those the bot has no
    setting for, such as `TEMPORAL_GRPC_META_*`, too), overridden by the bot's settings."""
    env = {k: v for k, v in os.environ.items() if k.startswith("TEMPORAL_") and v}
    env.update(settings)
    return env


def load_profile(env: Mapping[str, str]) -> ClientConfigProfile:
    """The profile with the variables applied; ValueError with a sentence when it cannot be."""
    config_file = env.get("TEMPORAL_CONFIG_FILE")
    if config_file and not Path(config_file).is_file():
        raise ValueError(
            f"TEMPORAL_CONFIG_FILE: there is no file at {config_file}: point it at a"
            " temporal.toml, or unset it to use the SDK's default location"
        )
    try:
        return ClientConfigProfile.load(override_env_vars=dict(env))
    # The SDK's ConfigError is a RuntimeError (an unknown profile, a file that is not TOML).
    except RuntimeError as error:
        where = f" ({config_file})" if config_file else ""
        raise ValueError(
            f"TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE: the Temporal client configuration{where}"
            f" could not be used: {error}. Fix the file or the profile name, or unset them."
        ) from None


def connect_config(profile: ClientConfigProfile) -> ClientConnectConfig:
    """`Client.connect`'s arguments, with the defaults for what neither gave and the
    certificates read; ValueError with a sentence for a certificate that cannot be read."""
    for what, variable, attribute in _CERTIFICATES:
        source: DataSource | None = getattr(profile.tls, attribute, None)
        if isinstance(source, Path) and not _readable(source):
            raise ValueError(
                f"{variable}: the Temporal {what} at {source} cannot be read: check the path"
                f" (or give the certificate itself in {variable.removesuffix('_PATH')}_DATA)"
            )
    config = profile.to_client_connect_config()
    config.setdefault("target_host", DEFAULT_ADDRESS)
    config.setdefault("namespace", DEFAULT_NAMESPACE)
    return config


def _readable(path: Path) -> bool:
    try:
        with path.open("rb"):
            return True
    except OSError:
        return False
