"""Start the whole system on one machine: embedded NATS, the four services and the console.

Everything lives under one folder (``./var`` by default): JetStream data in ``var/nats`` and
one SQLite file per service, so a second run resumes where the first stopped. Ctrl-C (or
SIGTERM) stops the services first, letting them finish in-flight work, then NATS.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ccc_shared.demo.client import ServiceError
from ccc_shared.demo.lifecycle import LifecycleStalledError
from ccc_shared.demo.run import run_demo
from ccc_shared.runtime.auth import DEMO_PEOPLE, write_users_file
from ccc_shared.runtime.embedded_nats import EmbeddedNats, EmbeddedNatsError
from ccc_shared.runtime.settings import sqlite_url


@dataclass(frozen=True)
class ServiceSpec:
    """How to start one service: its console script, package, env prefix and HTTP port."""

    name: str
    package: str
    env_prefix: str
    port: int

    def command(self) -> list[str]:
        """Return the service's console script, or ``python -m <package>.main`` without it."""
        script = Path(sysconfig.get_path("scripts")) / self.name
        if script.is_file():
            return [str(script)]
        return [sys.executable, "-m", f"{self.package}.main"]


SERVICES = (
    ServiceSpec("enterprise-registry", "enterprise_registry", "REGISTRY_", 8101),
    ServiceSpec("inspection", "inspection", "INSPECTION_", 8102),
    ServiceSpec("enforcement", "enforcement", "ENFORCEMENT_", 8103),
    ServiceSpec("notification", "notification", "NOTIFICATION_", 8104),
)


# The staff's web pages: a backend-for-frontend beside the services (services/console).
CONSOLE = ServiceSpec("console", "console", "CONSOLE_", 8100)
SERVICE_KEYS = {"enterprise-registry": "REGISTRY", "inspection": "INSPECTION",
                "enforcement": "ENFORCEMENT", "notification": "NOTIFICATION"}  # fmt: skip


def console_environment(services: Sequence[RunningService], users_file: Path) -> dict[str, str]:
    """The console's settings: where each service is, and the users file people sign in with."""
    environment = {f"{CONSOLE.env_prefix}{SERVICE_KEYS[s.spec.name]}_URL": s.url for s in services}
    environment[f"{CONSOLE.env_prefix}AUTH_USERS_FILE"] = str(users_file)
    return environment


def jwks_url(console_port: int) -> str:
    """Where the console publishes the public keys of the access tokens it signs."""
    return f"http://127.0.0.1:{console_port}/.well-known/jwks.json"


def demo_passwords() -> dict[str, str]:
    """A fresh password per demo person (not the machine user), printed once by the launcher."""
    return {role: secrets.token_urlsafe(9) for role in DEMO_PEOPLE if role != "system"}


@dataclass
class RunningService:
    """A started service process and the address it serves."""

    spec: ServiceSpec
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """Base HTTP URL of the service."""
        return f"http://127.0.0.1:{self.port}"

    def healthy(self) -> bool:
        """Whether ``GET /health`` reports the service as started."""
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                return b'"ok"' in response.read()
        except (urllib.error.URLError, OSError):
            return False


def start_service(
    spec: ServiceSpec,
    port: int,
    nats_url: str,
    var_dir: Path,
    *,
    database_url: str | None = None,
    environment: Mapping[str, str] | None = None,
    output: IO[bytes] | None = None,
) -> RunningService:
    """Start one service process with its bus, store and port given through its environment.

    The store is ``database_url`` when given, else a SQLite file in ``var_dir``; ``environment``
    adds settings (the service's prefixed names) and ``output`` takes its logs.
    """
    settings = dict(os.environ)
    settings.update(
        {
            f"{spec.env_prefix}NATS_URL": nats_url,
            f"{spec.env_prefix}DATABASE_URL": database_url
            or sqlite_url(var_dir / f"{spec.name}.db"),
            f"{spec.env_prefix}DATA_DIR": str(var_dir),
            f"{spec.env_prefix}HTTP_PORT": str(port),
            **(environment or {}),
        }
    )
    process = subprocess.Popen(
        spec.command(), env=settings, process_group=0, stdout=output, stderr=output
    )
    return RunningService(spec, port, process)


def stop_services(services: Sequence[RunningService], timeout: float = 20.0) -> None:
    """Ask every service to stop (SIGTERM), wait for them, and kill the ones that hang."""
    for service in services:
        if service.process.poll() is None:
            service.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for service in services:
        try:
            service.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{service.spec.name} did not stop in time; killing it", file=sys.stderr)
            service.process.kill()
            service.process.wait()


def wait_until_healthy(
    services: Sequence[RunningService], stopping: threading.Event, timeout: float
) -> str | None:
    """Wait for every service's health route; return why not, or None when all are up."""
    deadline = time.monotonic() + timeout
    waiting = list(services)
    while waiting:
        for service in waiting[:]:
            if service.process.poll() is not None:
                return f"{service.spec.name} exited with code {service.process.returncode}"
            if service.healthy():
                waiting.remove(service)
        if stopping.is_set():
            return "interrupted"
        if time.monotonic() > deadline:
            return f"not healthy after {timeout}s: {', '.join(s.spec.name for s in waiting)}"
        if waiting:
            time.sleep(0.1)
    return None


BUS_USERS = {"enterprise-registry": "registry"}  # a service's NATS user is its context


def main(argv: Sequence[str] | None = None) -> int:
    """Run NATS and the four services until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="ccc-launch", description=main.__doc__)
    parser.add_argument("--var-dir", default="var", help="data folder (default: ./var)")
    parser.add_argument("--nats-port", type=int, default=None, help="default: a free port")
    parser.add_argument("--base-port", type=int, default=8101, help="first service's HTTP port")
    parser.add_argument(
        "--console-port", type=int, default=None, help="the console's port (default: base - 1)"
    )
    parser.add_argument("--startup-timeout", type=float, default=120.0)
    parser.add_argument("--demo", action="store_true", help="load demo data, run the lifecycle")
    arguments = parser.parse_args(argv)

    var_dir = Path(arguments.var_dir).resolve()
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    var_dir.chmod(0o700)  # stores, keys, bus passwords: the owner's alone
    stopping = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    # The bus runs with per-service users and permissions; people sign in with tokens that
    # are fresh on every start (only their hashes are kept, in var/users.toml).
    nats = EmbeddedNats(
        var_dir / "nats", port=arguments.nats_port, own_process_group=True, secure=True
    )
    users_file = var_dir / "users.toml"
    passwords = demo_passwords()
    tokens = write_users_file(users_file, passwords=passwords)
    console_port = arguments.console_port or arguments.base_port - 1
    try:
        nats_url = nats.start()
    except EmbeddedNatsError as error:
        print(f"cannot start NATS: {error}", file=sys.stderr)
        return 1
    services: list[RunningService] = []
    try:
        for offset, spec in enumerate(SERVICES):
            bus_user = BUS_USERS.get(spec.name, spec.name)
            environment = {
                **nats.environment_for(bus_user, spec.env_prefix),
                f"{spec.env_prefix}AUTH_USERS_FILE": str(users_file),
                f"{spec.env_prefix}AUTH_JWKS_URL": jwks_url(console_port),
            }
            port = arguments.base_port + offset
            print(f"starting {spec.name} on port {port}", flush=True)
            services.append(start_service(spec, port, nats_url, var_dir, environment=environment))
        print(f"starting the console on port {console_port}", flush=True)
        console = start_service(
            CONSOLE, console_port, nats_url, var_dir,
            environment={**console_environment(services, users_file),
                         # the audit timeline reads the streams as the read-only bus user
                         **nats.environment_for("outside", CONSOLE.env_prefix)},
        )  # fmt: skip
        services.append(console)
        print("waiting for every service to answer on /health", flush=True)
        problem = wait_until_healthy(services, stopping, arguments.startup_timeout)
        if problem is not None:
            print(f"start-up failed: {problem}", file=sys.stderr)
            return 0 if problem == "interrupted" else 1
        if arguments.demo:
            urls = {service.spec.name: service.url for service in services}
            print("loading the demo data and running the lifecycle once", flush=True)
            try:
                run_demo(urls, tokens, sys.stdout)
            except (ServiceError, LifecycleStalledError, OSError) as error:
                print(f"the demo failed: {error}", file=sys.stderr)
                return 1
        print_running(var_dir, nats_url, services, tokens, passwords)
        while not stopping.wait(0.5):
            for service in services:
                if service.process.poll() is not None:
                    print(f"{service.spec.name} exited unexpectedly", file=sys.stderr)
                    return 1
        return 0
    finally:
        stop_services(services)
        nats.stop()
        print("stopped", flush=True)


def print_running(
    var_dir: Path,
    nats_url: str,
    services: Sequence[RunningService],
    tokens: Mapping[str, str],
    passwords: Mapping[str, str] | None = None,
) -> None:
    """Where everything is: the console and its sign-ins, NATS, each service, the tokens."""
    print(f"\nCCC Supervision is running (data in {var_dir}); Ctrl-C stops it.")
    print(f"  {'nats':<20} {nats_url}  (per-service users: {var_dir / 'nats'})")
    for service in services:
        if service.spec is CONSOLE:
            print(f"  {'console':<20} {service.url}/  (staff sign in here)")
        else:
            print(f"  {service.spec.name:<20} {service.url}  (OpenAPI: {service.url}/docs)")
    asyncapi = Path.cwd() / "docs" / "asyncapi.yaml"
    print(f"  {'asyncapi':<20} {asyncapi if asyncapi.is_file() else 'ccc-audit asyncapi'}")
    if passwords:
        print("\nsign in to the console as (user id / password, fresh on every start):")
        for role, password in passwords.items():
            user_id, name, department = DEMO_PEOPLE[role]
            print(f"  {role:<13} {user_id:<12} {password:<14} {name} ({department})")
    print("\nbearer tokens for this run (Authorization: Bearer <token>):")
    for role, token in tokens.items():
        print(f"  {role:<13} {token}")
    print(flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
