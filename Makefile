# Portico developer tasks. CI runs .ci/run, which calls these targets.

SWAG_FLAGS = -g internal/httpapi/server.go -o docs --parseInternal --outputTypes go,json,yaml --quiet --requiredByDefault --useStructName

.PHONY: run test docs client docs-check lint lint-api sdk-ts sdk-ts-check browser-test

run:
	go run ./cmd/portico

test:
	go test -race -count=1 -timeout 30m ./...

# Regenerate the swagger docs (served at /swagger), the published
# OpenAPI 3 document under api/, and docs/errors.md from the problem catalog.
docs:
	go tool swag fmt -d internal,cmd
	go tool swag init $(SWAG_FLAGS)
	go run ./cmd/openapi
	go run ./cmd/errdocs

# Regenerate the Go client SDK (pkg/client) from api/openapi.yaml.
client:
	go generate ./pkg/client

# Fail when the committed docs, OpenAPI document, error reference or Go
# client differ from what the annotations and the catalog generate (new
# untracked files count too).
GENERATED = docs api pkg/client internal cmd
docs-check: docs client
	@if [ -n "$$(git status --porcelain -- $(GENERATED))" ]; then \
		echo "generated files are stale; run make docs client and commit:"; \
		git status --porcelain -- $(GENERATED); git --no-pager diff --stat -- $(GENERATED); exit 1; \
	fi

lint:
	golangci-lint run ./...

# Lint the published OpenAPI document (redocly.yaml); needs `npm ci` once.
lint-api:
	npx --no-install redocly lint api/openapi.yaml

# Regenerate the TypeScript SDK's types (pkg/ts/schema.d.ts) from
# api/openapi.yaml and type-check the SDK; needs `npm ci` once.
SDK_TS_GEN = npx --no-install openapi-typescript api/openapi.yaml --redocly pkg/ts/redocly.yaml
sdk-ts:
	$(SDK_TS_GEN) -o pkg/ts/schema.d.ts
	npx --no-install tsc -p pkg/ts

# Fail when pkg/ts/schema.d.ts differs from what api/openapi.yaml generates,
# or when the SDK (and the page using it in the browser test) does not
# type-check.
sdk-ts-check:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(SDK_TS_GEN) -o "$$tmp/schema.d.ts" || exit 1; \
	if ! diff -u pkg/ts/schema.d.ts "$$tmp/schema.d.ts"; then \
		echo "pkg/ts/schema.d.ts is stale; run make sdk-ts and commit"; exit 1; \
	fi
	npx --no-install tsc -p pkg/ts
	@echo "TypeScript SDK is current and type-checks"

# Browser tests (test/browser): the real binary in Debian's headless
# Chromium, driven by playwright-core; installs chromium when missing.
# Screenshots for review land in artifacts/browser/ (ignored by git).
browser-test:
	.ci/browser-deps
	@[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
	node --test --test-concurrency=1 test/browser/*.test.mjs
