# Astrolabe — two commands set everything up on Debian 12 with Swift 6.3:
#   make demo   installs missing system packages, builds release, replays the quickstart notebook
#   make test   installs what the tests need, runs the whole suite
SWIFT      ?= swift
DEBS       := pkg-config libreadline-dev libpng-dev libcairo2-dev libsqlite3-dev libcfitsio-dev fonts-dejavu-core python3-venv libzmq3-dev iproute2 zlib1g-dev libbz2-dev liblzma-dev libxml2-dev wcslib-dev libjpeg-dev libsnappy-dev libzstd-dev libdeflate-dev
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV       := .venv
BIN        := .build/release/astrolabe

.PHONY: demo test test-dask dask-venv venv-ls test-labelstudio fuzz test-lone lone-guard deps build venv clean notebooks regenerate generated-check tools-venv

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

# astropy and pandas (with numpy) read the exported answers back in TeamLabelsTests; pinned to the reference venv's versions.
# onnx and onnxruntime check `export model` (ONNXExportTests), pyarrow the Parquet writer (ParquetWriterTests), pinned likewise.
PYDEPS     := nbformat jupyter_client nbclient jupyter_kernel_test astropy==8.0.2 pandas==3.1.2 numpy==2.4.6 onnx==1.23.2 onnxruntime==1.32.0 pyarrow==26.0.1

# Regenerate every gallery notebook (and its Markdown) after an intended change of outputs.
notebooks: build
	@for script in Notebooks/*.alab; do \
	  base=$${script%.alab}; echo "$$script"; \
	  $(BIN) run $$script --quiet --notebook $$base.ipynb --markdown $$base.md || exit 1; \
	done

venv: deps
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c "import nbformat, jupyter_client, nbclient, jupyter_kernel_test, astropy, pandas, numpy, onnx, onnxruntime, pyarrow" 2>/dev/null || $(VENV)/bin/pip install -q $(PYDEPS)

# Label Studio for the end-to-end test of `serve labelstudio` (Tests/labelstudio/requirements.txt
# pins it); a venv of its own, as its Django stack would clash with the notebook tools'.
VENV_LS    := .venv-ls
venv-ls:
	@[ -x $(VENV_LS)/bin/python ] || python3 -m venv $(VENV_LS)
	@$(VENV_LS)/bin/python -c "import label_studio, label_studio_sdk" 2>/dev/null \
	  || $(VENV_LS)/bin/pip install -q -r Tests/labelstudio/requirements.txt \
	  || echo "warning: label-studio could not be installed; the Label Studio end-to-end test will be skipped"

# A real Label Studio with Astrolabe as its ML backend (skipped, saying why, if label-studio is not installed).
test-labelstudio: venv-ls
	ASTROLABE_BIN=$$($(SWIFT) build --show-bin-path)/astrolabe $$([ -x $(VENV_LS)/bin/python ] && echo $(VENV_LS)/bin/python || echo python3) -m unittest -v Tests/labelstudio/test_labelstudio.py

test: lone-guard deps venv venv-ls generated-check
	$(SWIFT) build --build-tests
	@# Astrolabe as the ML backend of a real Label Studio (Tests/labelstudio).
	$(MAKE) --no-print-directory test-labelstudio
	@# The Jupyter kernel against the real clients (jupyter_kernel_test, nbclient, nbformat).
	ASTROLABE_BIN=$$($(SWIFT) build --show-bin-path)/astrolabe $(VENV)/bin/python -m unittest -v Tests/jupyter/test_kernel.py
	@# Every gallery notebook still matches a fresh replay of its session.
	@bin=$$($(SWIFT) build --show-bin-path)/astrolabe; status=0; \
	for script in Notebooks/*.alab; do \
	  $$bin check $$script $${script%.alab}.ipynb || status=1; \
	done; exit $$status
	@# contrib/dask on a 2-worker LocalCluster against this build (its own venv, contrib/dask/requirements.txt).
	$(MAKE) --no-print-directory test-dask
	@# The XCTest suites last, so their summary is the run's closing line.
	ASTROLABE_PYTHON=$(abspath $(VENV))/bin/python $(SWIFT) test --skip-build --disable-swift-testing

# contrib/dask: the exported model on a Dask LocalCluster (2 worker processes, loopback) and
# datashader on Dask against Astrolabe's own predictions and density aggregate.
DASK_VENV  := .venv-dask
dask-venv: deps
	@[ -x $(DASK_VENV)/bin/python ] || python3 -m venv $(DASK_VENV)
	@$(DASK_VENV)/bin/python -c "import dask.dataframe, distributed, datashader, onnx, onnxruntime, pyarrow" 2>/dev/null || $(DASK_VENV)/bin/pip install -q -r contrib/dask/requirements.txt

test-dask: dask-venv
	ASTROLABE_BIN=$$($(SWIFT) build --show-bin-path)/astrolabe $(DASK_VENV)/bin/python -m unittest -v contrib/dask/test_astrolabe_dask.py

# Nothing a user runs may reach outside the repository: no path to a sibling checkout or to the
# team's toolbox in the sources, tests, notebooks, samples or build files (bench/ may name the
# peers' kit, which only benchmarks use). The pattern is spelled with [e] so this line does not match itself.
lone-guard:
	@if grep -rnIE '\.\./shar[e]d|/work/shar[e]d|shar[e]d/data' Sources Tests Notebooks Samples README.md .ci docs Package.swift; then \
	  echo "error: the lines above reach outside the repository"; exit 1; fi

# The suite as a user who cloned only this repository runs it: the tracked (and new, not ignored)
# files copied into an empty directory with nothing beside it, then `make test` there. CI runs
# this, so a test that needs a file from outside the repository fails in CI too.
LONE_DIR ?= /tmp/astrolabe-lone
test-lone:
	rm -rf $(LONE_DIR) && mkdir -p $(LONE_DIR)/astrolabe
	git ls-files -z --cached --others --exclude-standard \
	  | xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done; true' copy \
	  | tar --null -T - -cf - | tar -xf - -C $(LONE_DIR)/astrolabe
	@[ -f $(LONE_DIR)/astrolabe/Makefile ] || { echo "error: copying the repository failed"; exit 1; }
	@[ ! -e $(LONE_DIR)/shared ] || { echo "error: $(LONE_DIR)/shared exists"; exit 1; }
	$(MAKE) --no-print-directory -C $(LONE_DIR)/astrolabe test

# Generated sources come from the committed scripts in Tools/ (matplotlib pinned in
# Tools/requirements.txt): `make regenerate` rewrites them, `make generated-check` fails when a
# committed file differs from what its script writes now.
GENERATED  := Sources/AstrolabeData/Numbers/PowersOfFive.swift Sources/AstrolabePlot/Color/ColormapTables.swift \
              Sources/AstrolabePlot/Color/SequentialColormapTables.swift Sources/AstrolabePlot/Color/DivergingColormapTables.swift \
              Sources/AstrolabePlot/Color/CategoricalPaletteTable.swift

define generate
	@mkdir -p $(1)/Sources/AstrolabeData/Numbers $(1)/Sources/AstrolabePlot/Color
	python3 Tools/gen_powers_of_five.py > $(1)/Sources/AstrolabeData/Numbers/PowersOfFive.swift
	$(VENV)/bin/python Tools/gen_colormaps.py $(1)/Sources/AstrolabePlot/Color
	$(VENV)/bin/python Tools/gen_categorical_palette.py > $(1)/Sources/AstrolabePlot/Color/CategoricalPaletteTable.swift
endef

tools-venv: venv
	@$(VENV)/bin/python -c "import matplotlib, colorcet" 2>/dev/null || $(VENV)/bin/pip install -q -r Tools/requirements.txt

regenerate: tools-venv
	$(call generate,.)

generated-check: tools-venv
	@rm -rf .build/generated
	$(call generate,.build/generated)
	@status=0; for f in $(GENERATED); do \
	  cmp -s $$f .build/generated/$$f || { echo "error: $$f differs from what Tools/ generates (make regenerate)"; diff $$f .build/generated/$$f | head -5; status=1; }; \
	done; exit $$status

# Longer fuzzing by hand (the fuzz tests also run, briefly, in `make test`): FUZZ_SCALE times their inputs.
fuzz: ; FUZZ_SCALE=$(or $(FUZZ_SCALE),20) $(SWIFT) test --filter FuzzTests --disable-swift-testing

clean:
	rm -rf .build
