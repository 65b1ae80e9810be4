# syntax=docker/dockerfile:1
# Multi-stage build: a static, cgo-free binary on a distroless non-root base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/portico ./cmd/portico

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portico /portico
# SQLite fallback lives here when no PORTICO_DATABASE_URL is given.
ENV PORTICO_ADDR=:8080 PORTICO_SQLITE_PATH=/data/portico.db
WORKDIR /data
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/portico"]
