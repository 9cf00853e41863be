# One image for every frontdesk service: the command picks the role
# (api, worker, migrate, ...).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/frontdesk ./cmd/frontdesk

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl tzdata && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/frontdesk /usr/local/bin/frontdesk
USER nobody
ENTRYPOINT ["/usr/local/bin/frontdesk"]
CMD ["api"]
