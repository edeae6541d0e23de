# Astrolabe — two commands set everything up on Debian 12 with Swift 6.3:
#   make demo   installs missing system packages, builds release, replays the quickstart notebook
#   make test   installs what the tests need, runs the whole suite
SWIFT      ?= swift
DEBS       := pkg-config libreadline-dev libpng-dev libcairo2-dev libsqlite3-dev libcfitsio-dev fonts-dejavu-core python3-venv libzmq3-dev iproute2 zlib1g-dev
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV       := .venv
BIN        := .build/release/astrolabe

.PHONY: demo test deps build venv clean notebooks

deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product astrolabe

demo: build
	$(BIN) run Notebooks/quickstart.alab --notebook Notebooks/quickstart.ipynb --markdown Notebooks/quickstart.md
	@echo "wrote Notebooks/quickstart.ipynb and Notebooks/quickstart.md (plots in Notebooks/quickstart_files/)"

PYDEPS     := nbformat jupyter_client nbclient jupyter_kernel_test

# Regenerate every gallery notebook (and its Markdown) after an intended change of outputs.
notebooks: build
	@for script in Notebooks/*.alab; do \
	  base=$${script%.alab}; echo "$$script"; \
	  $(BIN) run $$script --quiet --notebook $$base.ipynb --markdown $$base.md || exit 1; \
	done

venv: deps
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c "import nbformat, jupyter_client, nbclient, jupyter_kernel_test" 2>/dev/null || $(VENV)/bin/pip install -q $(PYDEPS)

test: deps venv
	$(SWIFT) build --build-tests
	@# The Jupyter kernel against the real clients (jupyter_kernel_test, nbclient, nbformat).
	ASTROLABE_BIN=$$($(SWIFT) build --show-bin-path)/astrolabe $(VENV)/bin/python -m unittest -v Tests/jupyter/test_kernel.py
	@# Every gallery notebook still matches a fresh replay of its session.
	@bin=$$($(SWIFT) build --show-bin-path)/astrolabe; status=0; \
	for script in Notebooks/*.alab; do \
	  $$bin check $$script $${script%.alab}.ipynb || status=1; \
	done; exit $$status
	@# The XCTest suites last, so their summary is the run's closing line.
	ASTROLABE_PYTHON=$(abspath $(VENV))/bin/python $(SWIFT) test --skip-build --disable-swift-testing

clean:
	rm -rf .build
