"""Helpers for the poster tests: template folders written on the fly, agents with avatars,
decoding the code on a poster, and small HTTP servers (one that serves a picture, one that
accepts and never answers)."""

from __future__ import annotations

import http.server
import io
import json
import socket
import threading
from pathlib import Path

import zxingcpp
from PIL import Image

from app.extensions import db
from app.media.storage import storage
from app.posters import templates
from tests import distribution_helpers

SHIPPED = Path(__file__).resolve().parent.parent / "poster_templates"


def template_json(**overrides) -> dict:
    spec = {
        "name": "测试模板", "kind": "invite", "short_id": "z1", "width": 600, "height": 900,
        "background": {"color": "#FFFFFF"},
        "elements": [
            {"type": "avatar", "x": 20, "y": 20, "size": 100},
            {"type": "text", "text": "{nickname}", "x": 140, "y": 40, "width": 440, "size": 40, "color": "#000000"},
        ],
        "code": {"type": "url", "x": 150, "y": 400, "size": 300, "link": "{base_url}/h5/?scene={scene}"},
    }
    spec.update(overrides)
    return spec


def write_template(root: Path, key: str, spec: dict | str) -> Path:
    folder = root / key
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "template.json").write_text(spec if isinstance(spec, str) else json.dumps(spec, ensure_ascii=False),
                                          encoding="utf-8")
    templates._cache.clear()
    return folder


def agent(nickname: str = "小明", avatar_url: str = ""):
    user = distribution_helpers.agent(nickname)
    user.avatar_url = avatar_url
    db.session.commit()
    return user


def open_stored(url: str) -> Image.Image:
    files = storage()
    path = url.split(files.url_prefix, 1)[1]
    with files.open(path) as handle:
        return Image.open(io.BytesIO(handle.read())).convert("RGB")


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("RGB"))]


class PictureServer:
    """Serves one PNG at any path; counts requests."""

    def __init__(self, colour=(220, 20, 60)) -> None:
        buffer = io.BytesIO()
        Image.new("RGB", (64, 64), colour).save(buffer, format="PNG")
        body = buffer.getvalue()
        self.hits = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits += 1
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/avatar.png"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SilentServer:
    """Accepts connections and never answers: a remote avatar host that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/avatar.png"
        self.held: list[socket.socket] = []
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self._running:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.held.append(connection)

    def stop(self) -> None:
        self._running = False
        for connection in self.held:
            connection.close()
        self.sock.close()
