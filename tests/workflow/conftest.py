"""Fixtures for the workflow tests."""

from __future__ import annotations

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment


@pytest.fixture
async def time_skipping_client(time_skipping_env: WorkflowEnvironment) -> Client:
    """The time-skipping server's client (our search attributes are registered on it)."""
    return time_skipping_env.client
