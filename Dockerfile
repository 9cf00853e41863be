# One image for every frontdesk service: the command picks the role
# (api, worker, migrate, ...).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/frontdesk ./cmd/frontdesk

FROM debian:bookworm-slim
# Besides certificates and time zones: the embedded voice, the api's
# default when no OPENAI_API_KEY or OPENAI_BASE_URL is set (flite and
# espeak-ng speak, pocketsphinx with its US English model listens; the
# packages of voice/embedded.Requirements, which devenv/dockerfile_test.go
# checks this list against). Without them `frontdesk api` refuses to start.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
      flite espeak-ng pocketsphinx pocketsphinx-en-us \
 && rm -rf /var/lib/apt/lists/*
# Each clinic's speech model is built on its first call and cached here:
# nobody has no home directory to keep a cache in.
ENV FRONTDESK_CACHE=/var/cache/frontdesk
RUN mkdir -p /var/cache/frontdesk && chown nobody:nogroup /var/cache/frontdesk
COPY --from=build /out/frontdesk /usr/local/bin/frontdesk
USER nobody
ENTRYPOINT ["/usr/local/bin/frontdesk"]
CMD ["api"]
