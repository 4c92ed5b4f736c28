# Fenxiao — `make run` serves the demo shop, `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The address the demo is served at: the seeded menu's links and the sandbox's callbacks use it.
BASE_URL = $(or $(PUBLIC_BASE_URL),http://$(HOST):$(PORT))

.PHONY: run install system-packages assets miniprogram translations test lint format worker gunicorn bench bench-storefront bench-poster bench-checkout clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

system-packages:
	@bash scripts/install-system-packages.sh

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: system-packages node_modules/.installed miniprogram

# The mini-program (miniprogram/): its npm packages from the committed lockfile, then
# miniprogram_npm/ so WeChat DevTools imports the folder as-is.
miniprogram/node_modules/.installed: miniprogram/package.json miniprogram/package-lock.json
	cd miniprogram && npm ci --no-audit --no-fund --loglevel=error
	touch $@

miniprogram: miniprogram/node_modules/.installed
	cd miniprogram && node scripts/build-npm.js

translations: $(VENV)/.installed
	@$(VENV)/bin/pybabel -q compile -d app/translations

install: system-packages $(VENV)/.installed translations assets

run: install
	$(FLASK) db upgrade
	PUBLIC_BASE_URL=$(BASE_URL) $(FLASK) seed demo --if-empty
	@echo ""
	@echo "  Fenxiao demo shop — http://$(HOST):$(PORT)/"
	@echo "  Console         http://$(HOST):$(PORT)/admin/"
	@echo "  API docs        http://$(HOST):$(PORT)/api/v1/docs"
	@echo "  OpenAPI         http://$(HOST):$(PORT)/api/v1/openapi.json"
	@echo "  WeChat sandbox  http://$(HOST):$(PORT)/sandbox/"
	@echo "  Readiness       http://$(HOST):$(PORT)/readyz"
	@echo ""
	PUBLIC_BASE_URL=$(BASE_URL) $(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .

test: $(VENV)/.dev-installed translations assets lint
	@bash scripts/install-system-packages.sh --test
	@bash scripts/run-tests.sh

worker: install
	$(FLASK) rq worker

bench: install  ## the webhook, storefront and poster benches (each against a bare baseline)
	@bash scripts/install-system-packages.sh --bench
	$(PY) bench/wechat_webhook.py
	$(PY) bench/storefront.py
	$(PY) bench/poster.py

bench-storefront: install  ## product list and detail over 10,000 products vs a bare Flask JSON endpoint
	@bash scripts/install-system-packages.sh --bench
	$(PY) bench/storefront.py

bench-poster: install  ## drawing a poster vs bare Pillow; fetching a cached one vs a static file
	$(PY) bench/poster.py

bench-checkout: install  ## the order preview with coupons and a full-reduction activity vs the same preview without
	$(PY) bench/checkout.py

gunicorn: install
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache miniprogram/node_modules miniprogram/miniprogram_npm
