package server

import (
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	apierr "github.com/ambitkit/ambit/errors"
)

// retryLater is an error whose answer tells the client when to try again
// (Retry-After): too many failed logins, too many waiters.
type retryLater struct {
	after time.Duration
	error
}

func (e retryLater) Unwrap() error { return e.error }

// retryAfter sets the Retry-After header of an error that has one.
func retryAfter(w http.ResponseWriter, err error) {
	var rl retryLater
	if errors.As(err, &rl) {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(rl.after.Seconds()))))
	}
}

func tooManyLogins(wait time.Duration) error {
	return retryLater{after: wait, error: apierr.New(http.StatusTooManyRequests,
		"Too many failed logins: try again in %d seconds.", int(math.Ceil(wait.Seconds()))).WithName("TOO_MANY_REQUESTS")}
}

// logins limits failed logins, per client address and per user name, with
// token buckets: each failure takes a token, a token comes back every
// period, and an empty bucket refuses logins until it has one again.
type logins struct {
	burst  int
	period time.Duration
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

// bucket holds tokens as of a time.
type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the memory the limiter takes: past it, buckets that
// have filled up again are dropped (they hold nothing a new one would not).
const maxBuckets = 10000

func newLogins(burst int, period time.Duration) *logins {
	return &logins{burst: burst, period: period, now: time.Now, buckets: map[string]*bucket{}}
}

// clientOf is a request's client address, without the port.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// blocked says how long a login from client as user must wait (0: it may
// go ahead).
func (l *logins) blocked(client, user string) time.Duration {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	return max(l.wait("client "+client, now), l.wait("user "+user, now))
}

// failed takes a token from the client's bucket and from the user's.
func (l *logins) failed(client, user string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range []string{"client " + client, "user " + user} {
		b := l.refill(k, now)
		b.tokens = max(b.tokens-1, 0)
	}
	if len(l.buckets) > maxBuckets {
		l.prune(now)
	}
}

func (l *logins) wait(key string, now time.Time) time.Duration {
	if _, ok := l.buckets[key]; !ok {
		return 0 // no failure yet: no bucket to make
	}
	b := l.refill(key, now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(l.period))
}

// refill brings a bucket's tokens up to now, making it full when new.
func (l *logins) refill(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.burst), at: now}
		l.buckets[key] = b
		return b
	}
	b.tokens = min(float64(l.burst), b.tokens+float64(now.Sub(b.at))/float64(l.period))
	b.at = now
	return b
}

// prune drops the buckets that are full again, and, should that not be
// enough (an attack from very many addresses), the whole table: what is
// lost is a few failures' memory, never a login.
func (l *logins) prune(now time.Time) {
	for k := range l.buckets {
		if l.refill(k, now).tokens >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) > maxBuckets {
		clear(l.buckets)
	}
}
