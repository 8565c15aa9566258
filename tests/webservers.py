"""Debian's nginx and Apache serving a static export, as the README says to set them up.

Both run as unprivileged, private instances: their own configuration files in a
temporary folder, a loopback port bound first (the kernel picks a free one; the socket
is closed just before the server binds it), logs in the same folder, stopped at the end
(also when a test fails). The configuration mirrors Debian's defaults: for nginx the
``http {}`` of ``/etc/nginx/nginx.conf`` (``include /etc/nginx/mime.types``) with the
site's ``nginx-http.conf`` in it and a ``server {}`` whose root is ``DIR/site`` and that
includes ``DIR/nginx.conf``; for Apache a minimal ``httpd.conf`` that loads the modules
Debian enables by default for such a site (mpm_event, authz_core, mime with
``/etc/mime.types``, dir, rewrite, headers, deflate, filter, alias) and
``AllowOverride All`` on ``DIR/site``, as a ``<Directory>`` in a Debian site file would
(mod_negotiation is not loaded: content negotiation is the .htaccess rules' job).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"
START_TIMEOUT = 20.0


def _need(path: str, package: str) -> str:
    assert Path(path).exists(), f"{path} is missing: apt-get install {package}"
    return path


def readable(export: Path) -> None:
    """Let the servers' worker user (www-data, when the tests run as root) read the site."""
    for folder in [export, *export.parents]:
        if folder == Path("/"):
            break
        folder.chmod(folder.stat().st_mode | 0o755)
    for path in export.rglob("*"):
        path.chmod(path.stat().st_mode | (0o755 if path.is_dir() else 0o644))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped at start:\n{_tail(log)}")
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(url + "/robots.txt", timeout=1)
            return
        time.sleep(0.05)
    raise AssertionError(f"the server did not answer in {START_TIMEOUT} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text("utf-8", "replace")[-3000:] if log.exists() else "(no log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@contextlib.contextmanager
def _running(name: str, command: list[str], flags: list[str], folder: Path,
             port: int) -> Iterator[str]:
    """``command`` checked with its ``-t`` (the first of ``flags``), then run with the other
    flags on loopback ``port`` until the block ends; ``folder`` (config, logs) removed after."""
    check, *run = flags
    try:
        test = subprocess.run([command[0], check, *command[1:]], capture_output=True,
                              text=True, timeout=30, check=False)
        assert test.returncode == 0, f"{name} -t refused the configuration:\n{test.stderr}"
        process = subprocess.Popen([command[0], *run, *command[1:]],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(url, process, folder / "error.log")
            yield url
        finally:
            _stop(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def nginx(export: Path) -> Iterator[str]:
    """nginx serving ``export/site`` with ``export/nginx.conf`` and ``nginx-http.conf``."""
    binary = _need(NGINX, "nginx")
    folder = Path(tempfile.mkdtemp(prefix="haberkg-nginx-"))
    port = _free_port()
    user = "user www-data;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""
daemon off;
master_process on;
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    sendfile on;
    include {export}/nginx-http.conf;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {export}/site;
        include {export}/nginx.conf;
    }}
}}
""", encoding="utf-8")
    with _running("nginx", [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                  ["-t"], folder, port) as url:
        yield url


@contextlib.contextmanager
def apache(export: Path) -> Iterator[str]:
    """Apache httpd serving ``export/site`` with the site's ``.htaccess`` (AllowOverride All)."""
    binary = _need(APACHE, "apache2")
    folder = Path(tempfile.mkdtemp(prefix="haberkg-apache-"))
    port = _free_port()
    modules = ["mpm_event", "authz_core", "mime", "dir", "rewrite", "headers", "deflate",
               "filter", "alias"]
    loads = "\n".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in modules)
    (folder / "httpd.conf").write_text(f"""
ServerRoot {folder}
{loads}
Listen 127.0.0.1:{port}
ServerName localhost
PidFile {folder}/httpd.pid
Mutex posixsem
{"User www-data" if os.geteuid() == 0 else ""}
{"Group www-data" if os.geteuid() == 0 else ""}
ErrorLog {folder}/error.log
LogLevel warn
DefaultRuntimeDir {folder}
TypesConfig /etc/mime.types
AddDefaultCharset Off
DocumentRoot {export}/site
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {export}/site>
    Options FollowSymLinks
    AllowOverride All
    Require all granted
</Directory>
<FilesMatch "^\\.ht">
    Require all denied
</FilesMatch>
""", encoding="utf-8")
    with _running("apache2", [binary, "-f", str(folder / "httpd.conf")], ["-t", "-DFOREGROUND"],
                  folder, port) as url:
        yield url
