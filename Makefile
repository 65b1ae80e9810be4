# Portico developer tasks. CI runs .ci/run, which calls these targets.

SWAG_FLAGS = -g internal/httpapi/server.go -o docs --parseInternal --outputTypes go,json,yaml --quiet

.PHONY: run test docs docs-check lint

run:
	go run ./cmd/portico

test:
	go test -race -count=1 ./...

# Regenerate the swagger docs (served at /swagger) and the published
# OpenAPI 3 document under api/.
docs:
	go tool swag fmt -d internal,cmd
	go tool swag init $(SWAG_FLAGS)
	go run ./cmd/openapi

# Fail when the committed docs differ from what the annotations generate.
docs-check: docs
	

lint:
	golangci-lint run ./...
