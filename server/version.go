package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	apierr "github.com/ambitkit/ambit/errors"
)

// Every answer carries the store's version when it was written
// (VersionHeader), and a request may ask for a state at least as new as a
// version it holds (MinVersionHeader): a client that wrote through one
// server of several reads its write through another. With one server the
// wait ends at once.
const (
	VersionHeader    = "X-Ambit-Version"
	MinVersionHeader = "X-Ambit-Min-Version"
)

// atLeast waits, at most the server's longest wait, until the store holds
// the version a request asks for.
func (s *Server) atLeast(r *http.Request) error {
	raw := r.Header.Get(MinVersionHeader)
	if raw == "" || s.store == nil {
		return nil
	}
	v, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return apierr.BadRequest("The header %s must be a store version, a whole number, not %q.", MinVersionHeader, raw).WithField(MinVersionHeader, -1)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.maxWait)
	defer cancel()
	if err := s.store.AtLeast(ctx, v); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return retryLater{after: time.Second, error: apierr.Unavailable("This server holds version %d of the store; version %d has not reached it yet: try again shortly.", s.store.Version(), v).
				WithName("VERSION_NOT_YET").WithField(MinVersionHeader, -1)}
		}
		return err
	}
	return nil
}

// versioned sets the version header of an answer once, before its status
// line goes out.
func (r *recorder) versioned() {
	if r.version != nil && !r.sent {
		r.ResponseWriter.Header().Set(VersionHeader, strconv.FormatUint(r.version(), 10))
	}
}
