# cyberkg in a container: one static binary (the embedded store is pure Go, no cgo).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /cyberkg ./cmd/cyberkg

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /cyberkg /cyberkg
# The embedded store lives here when NEO4J_URI is not set.
ENV CYBERKG_STORE=/data/graph.db
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/cyberkg"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
