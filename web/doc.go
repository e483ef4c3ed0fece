// Package web will hold the explorer for journalists, embedded into the binary and served
// by `cyberkg serve` at /. It is not built yet (issue 5); the API it will read is in
// resolvers. It must render everything that came from scraped pages as text.
package web
