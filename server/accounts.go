package server

import (
	"maps"
	"slices"
	"sync"
)

// Accounts are the server's users, which a face may manage (Ambari's
// /users and privileges): the users file seeds them, and users created
// through an API log in at once. It is safe for concurrent use.
type Accounts struct {
	mu    sync.RWMutex
	users Users
	// forget drops what the server remembers of a user's password, when
	// the user changes.
	forget func(name string)
}

// Names lists the users' names, sorted.
func (a *Accounts) Names() []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return slices.Sorted(maps.Keys(a.users))
}

// Get returns a user.
func (a *Accounts) Get(name string) (User, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	u, ok := a.users[name]
	return u, ok
}

// Put creates or replaces a user.
func (a *Accounts) Put(name string, u User) {
	a.mu.Lock()
	if a.users == nil {
		a.users = Users{}
	}
	a.users[name] = u
	a.mu.Unlock()
	a.forget(name)
}

// Delete removes a user, and reports whether there was one.
func (a *Accounts) Delete(name string) bool {
	a.mu.Lock()
	_, ok := a.users[name]
	delete(a.users, name)
	a.mu.Unlock()
	a.forget(name)
	return ok
}
