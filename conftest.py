"""Test-wide fixtures: real NATS and real databases (see ccc_shared.testing.servers)."""

pytest_plugins = ("ccc_shared.testing.servers",)
