"""The baseline for bench/poster.py: Flask serving one folder as plain static files."""

import os

from flask import Flask

app = Flask(__name__, static_folder=os.environ["BENCH_STATIC_ROOT"], static_url_path="/media")
