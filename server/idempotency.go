package server

import (
	"net/http"
	"strings"

	apierr "github.com/ambitkit/ambit/errors"
)

// IdempotencyKey is the Idempotency-Key header a client sends with a change
// it may retry, "" when it sends none: up to 255 printable ASCII
// characters, a 400 naming the header otherwise. A face passes it to the
// domain (cluster.WithIdempotencyKey), which answers a retry with the
// request the first try made.
func IdempotencyKey(r *http.Request) (string, error) {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 || strings.IndexFunc(key, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
		return "", apierr.BadRequest("Idempotency-Key: want up to 255 printable ASCII characters.").WithField("Idempotency-Key", -1)
	}
	return key, nil
}
