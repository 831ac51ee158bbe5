package server

import (
	"maps"

	"github.com/ambitkit/ambit/resource"
	"slices"
	"sync"
	"sync/atomic"
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
	// save, when set, keeps the users (WithUsersSaved).
	save func(Users) error
	// gen counts changes, for the answers a read cache keeps.
	gen atomic.Uint64
}

// generation counts the changes to the accounts.
func (a *Accounts) generation() uint64 { return a.gen.Load() }

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

// Put creates or replaces a user. When the server saves its users, the
// change is made once they are saved, and a failure to save them is a 503.
func (a *Accounts) Put(name string, u User) error {
	return a.change(name, func(users Users) bool {
		users[name] = u
		return true
	})
}

// Delete removes a user, and reports whether there was one.
func (a *Accounts) Delete(name string) (bool, error) {
	found := false
	err := a.change(name, func(users Users) bool {
		_, found = users[name]
		delete(users, name)
		return found
	})
	return found, err
}

// change applies edit to a copy of the users, saves it when edit changed
// it, and makes it the users.
func (a *Accounts) change(name string, edit func(Users) bool) error {
	a.mu.Lock()
	next := maps.Clone(a.users)
	if next == nil {
		next = Users{}
	}
	if !edit(next) {
		a.mu.Unlock()
		return nil
	}
	if a.save != nil {
		if err := a.save(next); err != nil {
			a.mu.Unlock()
			return resource.Caused(resource.Errorf(resource.Unavailable, "", "The users could not be saved, and were not changed: try again later.").Named("NOT_SAVED"), err)
		}
	}
	a.users = next
	a.gen.Add(1)
	a.mu.Unlock()
	a.forget(name)
	return nil
}

// Replace makes users the accounts without saving them: the users another
// server saved, where several share them (the users of an etcd cluster).
func (a *Accounts) Replace(users Users) {
	a.mu.Lock()
	old := a.users
	a.users = maps.Clone(users)
	a.gen.Add(1)
	a.mu.Unlock()
	for name, u := range old {
		if v, ok := users[name]; !ok || string(v.Hash) != string(u.Hash) || v.Role != u.Role || v.Disabled != u.Disabled {
			a.forget(name)
		}
	}
}
