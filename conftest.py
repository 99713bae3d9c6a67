"""Test-wide fixtures: real NATS and real databases (see ccc_shared.testing.servers).

Every app a test builds checks bearer tokens; tests sign theirs with ``TEST_JWT`` (see
``ccc_shared.testing.actors``), whose key is set here before any settings are read, and is
inherited by the service processes the end-to-end tests start.
"""

import os

from ccc_shared.testing.actors import TEST_JWT

os.environ.setdefault("AUTH_JWT_KEY", TEST_JWT.key)

pytest_plugins = ("ccc_shared.testing.servers",)
