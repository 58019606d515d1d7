"""The Temporal connection as the SDK loads it: TLS from paths and from `*_DATA`, the API key,
a `temporal.toml` profile below the environment and `.env`, and what a bad one is told."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.service import TLSConfig

from bot.runtime.settings import Settings, SettingsError, load_settings
from tests.bot.processes.run_command import run_command, stop_with_ctrl_c

CERT = "-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n"
KEY = "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n"
CA = "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n"

PROFILES = """
[profile.default]
address = "default.example:7233"

[profile.prod]
address = "prod.example:7233"
namespace = "reviews-prod"
api_key = "profile-api-key"

[profile.prod.tls]
server_name = "prod.internal"
"""


@pytest.fixture(autouse=True)
def no_temporal_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only what a test sets: none of the shell's TEMPORAL_*, no temporal.toml of the user's."""
    for name in list(os.environ):
        if name.startswith("TEMPORAL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)


def settings_from(
    monkeypatch: pytest.MonkeyPatch, *, env_file: Path | None = None, **env: str
) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings(_env_file=env_file)


def written(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def tls_of(settings: Settings) -> TLSConfig:
    tls = settings.temporal_connect_config()["tls"]
    assert isinstance(tls, TLSConfig)
    return tls


def test_tls_certificates_are_read_from_their_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = settings_from(
        monkeypatch,
        TEMPORAL_ADDRESS="temporal.example:7233",
        TEMPORAL_TLS="true",
        TEMPORAL_TLS_CLIENT_CERT_PATH=written(tmp_path, "client.pem", CERT),
        TEMPORAL_TLS_CLIENT_KEY_PATH=written(tmp_path, "client.key", KEY),
        TEMPORAL_TLS_SERVER_CA_CERT_PATH=written(tmp_path, "ca.pem", CA),
        TEMPORAL_TLS_SERVER_NAME="temporal.internal",
    )

    config = settings.temporal_connect_config()
    assert config["target_host"] == "temporal.example:7233"
    assert tls_of(settings) == TLSConfig(
        server_root_ca_cert=CA.encode(),
        domain="temporal.internal",
        client_cert=CERT.encode(),
        client_private_key=KEY.encode(),
    )


def test_tls_certificates_may_be_given_as_data(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(
        monkeypatch,
        TEMPORAL_TLS_CLIENT_CERT_DATA=CERT,
        TEMPORAL_TLS_CLIENT_KEY_DATA=KEY,
        TEMPORAL_TLS_SERVER_CA_CERT_DATA=CA,
    )

    tls = tls_of(settings)
    assert (tls.client_cert, tls.client_private_key, tls.server_root_ca_cert) == (
        CERT.encode(),
        KEY.encode(),
        CA.encode(),
    )


def test_an_api_key_turns_tls_on(monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings_from(
        monkeypatch, TEMPORAL_ADDRESS="ns.a1b2c.tmprl.cloud:7233", TEMPORAL_API_KEY="cloud-key"
    ).temporal_connect_config()

    assert config["api_key"] == "cloud-key"
    assert config["tls"] is True


def test_nothing_set_is_the_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(monkeypatch)

    assert settings.temporal_connect_config() == {
        "target_host": "localhost:7233",
        "namespace": "default",
    }
    assert "temporal_address" not in settings.model_fields_set


def test_a_profile_gives_what_the_environment_does_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = settings_from(
        monkeypatch,
        TEMPORAL_CONFIG_FILE=written(tmp_path, "temporal.toml", PROFILES),
        TEMPORAL_PROFILE="prod",
    )

    config = settings.temporal_connect_config()
    assert (settings.temporal_address, settings.temporal_namespace) == (
        "prod.example:7233",
        "reviews-prod",
    )
    assert config["target_host"] == "prod.example:7233"
    assert config["api_key"] == "profile-api-key"
    assert tls_of(settings).domain == "prod.internal"


def test_the_environment_and_env_file_win_over_the_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_file = Path(written(tmp_path, ".env", "TEMPORAL_NAMESPACE=from-dotenv\n"))
    settings = settings_from(
        monkeypatch,
        env_file=env_file,
        TEMPORAL_CONFIG_FILE=written(tmp_path, "temporal.toml", PROFILES),
        TEMPORAL_PROFILE="prod",
        TEMPORAL_API_KEY="env-api-key",
    )

    config = settings.temporal_connect_config()
    assert config["namespace"] == settings.temporal_namespace == "from-dotenv"
    assert config["api_key"] == "env-api-key"
    assert config["target_host"] == "prod.example:7233"


def test_without_temporal_profile_the_default_profile_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = settings_from(
        monkeypatch, TEMPORAL_CONFIG_FILE=written(tmp_path, "temporal.toml", PROFILES)
    )

    assert settings.temporal_address == "default.example:7233"
    assert settings.temporal_namespace == "default"


def test_the_sdks_default_file_is_read_from_the_users_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".config" / "temporalio").mkdir(parents=True)
    written(tmp_path / ".config" / "temporalio", "temporal.toml", PROFILES)

    assert settings_from(monkeypatch).temporal_address == "default.example:7233"


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None)
    return error.value.lines


def test_an_unknown_profile_is_named_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = written(tmp_path, "temporal.toml", PROFILES)

    [line] = refusal(monkeypatch, TEMPORAL_CONFIG_FILE=path, TEMPORAL_PROFILE="staging")

    assert line == (
        f"TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE: the Temporal client configuration ({path})"
        " could not be used: Profile 'staging' not found. Fix the file or the profile name, or"
        " unset them."
    )


def test_a_config_file_that_is_not_there_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.toml"

    assert refusal(monkeypatch, TEMPORAL_CONFIG_FILE=str(missing)) == [
        f"TEMPORAL_CONFIG_FILE: there is no file at {missing}: point it at a temporal.toml, or"
        " unset it to use the SDK's default location"
    ]


def test_a_certificate_that_cannot_be_read_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "client.pem"

    assert refusal(monkeypatch, TEMPORAL_TLS_CLIENT_CERT_PATH=str(missing)) == [
        f"TEMPORAL_TLS_CLIENT_CERT_PATH: the Temporal client certificate at {missing} cannot be"
        " read: check the path (or give the certificate itself in TEMPORAL_TLS_CLIENT_CERT_DATA)"
    ]


def test_a_path_and_data_for_one_certificate_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    [line] = refusal(
        monkeypatch,
        TEMPORAL_TLS_CLIENT_CERT_PATH=written(tmp_path, "client.pem", CERT),
        TEMPORAL_TLS_CLIENT_CERT_DATA=CERT,
    )

    assert (
        "Cannot specify both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_CERT_DATA"
        in line
    )


async def test_with_a_profile_naming_a_cluster_the_run_command_uses_it(
    tmp_path: Path, temporal_client: Client
) -> None:
    address = temporal_client.service_client.config.target_host
    profile = f'[profile.local]\naddress = "{address}"\n'
    settings = {
        "TEMPORAL_CONFIG_FILE": written(tmp_path, "temporal.toml", profile),
        "TEMPORAL_PROFILE": "local",
    }
    async with run_command(tmp_path / ".data", tmp_path, settings, sandbox=True) as running:
        said = "".join(running.output)
        assert f"Temporal        {address}, namespace default" in said
        assert "embedded dev server" not in said
        assert not (tmp_path / ".data" / "temporal.db").exists()
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said
