"""The baseline for bench/wechat_webhook.py: Flask answering a constant, nothing else."""

from flask import Flask

app = Flask(__name__)


@app.post("/wechat/oa")
def constant():
    return "success"


@app.get("/api/v1/bare")
def bare_json():
    """The storefront bench's baseline: a small JSON answer, nothing else."""
    return {"items": [], "page": 1, "size": 20, "total": 0}
