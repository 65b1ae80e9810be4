# Portico developer tasks. CI runs .ci/run, which calls these targets.

SWAG_FLAGS = -g internal/httpapi/server.go -o docs --parseInternal --outputTypes go,json,yaml --quiet --requiredByDefault --useStructName

.PHONY: run test docs client docs-check lint lint-api

run:
	go run ./cmd/portico

test:
	go test -race -count=1 ./...

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
