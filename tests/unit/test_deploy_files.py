"""The files an operator copies from deploy/: nginx accepts the config, the example settings are the bot's
settings (no more, no fewer) and are accepted, systemd reads the unit without complaint, and a real nginx
with the config sends an update meant for a dead or stopping worker to a live one."""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "second-opinion@.service"
# Where nginx.conf expects the operator's files (the upstream list and the certificate).
NGINX_OWN = "/etc/nginx/second-opinion/"


def tool(name: str) -> str:
    """The program's path; without it skip, or fail in CI (where the check must run)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing; in CI it must be installed")
        pytest.skip(f"{name} is not installed")
    return found


def settings_read() -> set[str]:
    return set(re.findall(r"""env\.get\(\s*["']([A-Z0-9_]+)["']""", (ROOT / "settings.py").read_text()))


def example_names(text: str) -> list[str]:
    """Names assigned in env.example, also those left commented out (`#WEBHOOK_PORT=8443`)."""
    return re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE)


def example_values() -> dict[str, str]:
    lines = (DEPLOY / "env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line))


def test_the_settings_parser_is_read_at_all() -> None:
    # Guards the tests below against a regex that silently finds nothing.
    assert {"TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WEBHOOK_SECRET", "WEBHOOK_PORT"} <= settings_read()


def test_env_example_names_every_setting_and_nothing_else() -> None:
    names = example_names((DEPLOY / "env.example").read_text())
    assert sorted(set(names)) == sorted(settings_read())
    assert len(names) == len(set(names)), "a setting is named twice"


def test_env_example_is_a_configuration_the_bot_accepts_in_webhook_mode() -> None:
    settings = load_settings({**example_values(), "WEBHOOK_PORT": "8441"})
    assert settings.database_url is not None and settings.webhook_url is not None
    assert settings.webhook_port == 8441


def test_compose_and_the_unit_set_only_settings_the_bot_reads() -> None:
    compose = (DEPLOY / "compose.yaml").read_text()
    # The workers' environment keys; the database container's own POSTGRES_* are not the bot's.
    compose_names = {
        n for n in re.findall(r"^\s+([A-Z][A-Z0-9_]*):", compose, re.M) if not n.startswith("POSTGRES_")
    }
    unit_names = set(re.findall(r"\b([A-Z][A-Z0-9_]*)=%i", UNIT.read_text()))
    assert compose_names == {"DATABASE_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT"}
    assert unit_names == {"WEBHOOK_PORT"}
    assert compose_names | unit_names <= settings_read()


def test_compose_parses_as_yaml_with_three_workers_from_one_build() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (it is not a dependency)")
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    workers = [services[f"worker{n}"] for n in (1, 2, 3)]
    assert all(w == workers[0] and w["build"]["dockerfile"] == "deploy/Dockerfile" for w in workers)
    assert set(services) == {"postgres", "worker1", "worker2", "worker3", "nginx"}


def write_certificate(folder: Path) -> None:
    folder.mkdir(parents=True)
    subprocess.run(
        [tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=bot.example.org",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip


def nginx_check(tmp_path: Path, upstream: str) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on deploy/nginx.conf inside an http block, its operator paths moved into tmp_path."""
    nginx = tool("nginx")
    own = tmp_path / "own"
    write_certificate(own / "tls")
    (own / "upstream.conf").write_text(upstream)
    site = (DEPLOY / "nginx.conf").read_text().replace(NGINX_OWN, f"{own}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "logs").mkdir()
    main = f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n    include {tmp_path}/site.conf;\n}}\n"
    (tmp_path / "main.conf").write_text(main)
    return subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "logs/error.log"), "-c", str(tmp_path / "main.conf")],
        capture_output=True,
        text=True,
    )  # fmt: skip


def test_nginx_accepts_the_config_with_the_systemd_workers(tmp_path: Path) -> None:
    result = nginx_check(tmp_path, (DEPLOY / "upstream.conf").read_text())
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_accepts_the_config_with_the_compose_workers(tmp_path: Path) -> None:
    # The service names resolve only inside compose; the rest of the block is what is checked here.
    upstream = re.sub(r"worker\d", "127.0.0.1", (DEPLOY / "upstream-compose.conf").read_text())
    result = nginx_check(tmp_path, upstream)
    assert result.returncode == 0, result.stderr


def test_nginx_refuses_a_broken_config(tmp_path: Path) -> None:
    # The check above can fail: a missing upstream is an error.
    result = nginx_check(tmp_path, "# no workers\n")
    assert result.returncode != 0


def test_nginx_exposes_only_telegram_and_retries_on_another_worker() -> None:
    site = (DEPLOY / "nginx.conf").read_text()
    locations = re.findall(r"^\s*location\s+(.+?)\s*\{", site, flags=re.MULTILINE)
    assert locations == ["= /telegram", "/"]
    assert "proxy_next_upstream error timeout http_502 http_503 non_idempotent;" in site
    assert "healthz" not in site.replace("/healthz and /readyz", "")


def test_systemd_reads_the_unit_without_complaint(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # verify checks that the program exists: point the install's paths at this machine's Python.
    text = UNIT.read_text().replace("/opt/second-opinion/.venv/bin/python", sys.executable)
    text = text.replace("/etc/second-opinion/env", str(tmp_path / "env")).replace(
        "/opt/second-opinion", str(tmp_path)
    )
    (tmp_path / "env").write_text("")
    instance = tmp_path / "second-opinion@8441.service"
    instance.write_text(text)
    result = subprocess.run([analyze, "verify", str(instance)], capture_output=True, text=True)
    complaints = [line for line in result.stderr.splitlines() if instance.name in line]
    assert result.returncode == 0 and not complaints, result.stderr


class Worker(BaseHTTPRequestHandler):
    """A worker as nginx sees it: `status` to every update, the bodies kept."""

    status = 200
    bodies: list[bytes]

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(status: int) -> tuple[ThreadingHTTPServer, list[bytes]]:
    bodies: list[bytes] = []
    handler = type("W", (Worker,), {"status": status, "bodies": bodies})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, bodies


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_update_sent_to_a_dead_or_stopping_worker_reaches_a_live_one(tmp_path: Path) -> None:
    stopping, refused = serve(503)
    alive, handled = serve(200)
    dead, public = free_port(), free_port()  # nothing listens on `dead`
    ports = [dead, stopping.server_address[1], alive.server_address[1]]
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in ports)
    upstream = f"upstream second_opinion_workers {{\n{servers}}}\n"
    assert nginx_check(tmp_path, upstream).returncode == 0
    site = (tmp_path / "site.conf").read_text().replace("listen 443 ssl;", f"listen 127.0.0.1:{public} ssl;")
    (tmp_path / "site.conf").write_text(site)
    nginx = subprocess.Popen(
        [tool("nginx"), "-p", str(tmp_path), "-e", str(tmp_path / "logs/error.log"), "-c", str(tmp_path / "main.conf"),
         "-g", "daemon off; master_process off;"],
    )  # fmt: skip
    try:
        tls = ssl.create_default_context(cafile=str(tmp_path / "own/tls/fullchain.pem"))
        tls.check_hostname = False
        answers = []
        for update_id in (1, 2, 3):
            request = urllib.request.Request(
                f"https://127.0.0.1:{public}/telegram", data=b'{"update_id": %d}' % update_id, method="POST"
            )
            answers.append(post_when_listening(request, tls))
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        stopping.shutdown()
        alive.shutdown()
    assert answers == [200, 200, 200]
    assert handled == [b'{"update_id": 1}', b'{"update_id": 2}', b'{"update_id": 3}']
    assert refused, "the stopping worker was never tried"


def post_when_listening(request: urllib.request.Request, tls: ssl.SSLContext) -> int:
    """The status nginx answers with, trying for up to 10 s while it starts."""
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, context=tls, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as answer:
            return answer.code
        except urllib.error.URLError:
            time.sleep(0.1)
    raise AssertionError("nginx did not start")
