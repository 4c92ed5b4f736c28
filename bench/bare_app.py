"""The baseline for bench/wechat_webhook.py: Flask answering a constant, nothing else."""

from flask import Flask

app = Flask(__name__)


@app.post("/wechat/oa")
def constant():
    return "success"
