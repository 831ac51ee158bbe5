package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/ambitkit/ambit/resource/bolt"
	"github.com/ambitkit/ambit/server"
)

// dataFile is the file in the data directory that holds everything the
// server keeps: the store's records, its users and its token key.
const dataFile = "ambit.db"

// The blobs of the data file beside the records.
const (
	usersBlob  = "users"     // the users, as JSON
	keyBlob    = "token-key" // the key that signs tokens
	seededBlob = "seeded"    // set once the first start has built the demo
)

// syncs are the -sync policies by name.
var syncs = map[string]bolt.Sync{"always": bolt.Always, "batched": bolt.Batched, "never": bolt.Never}

// openData opens, or creates, the data file of a data directory.
func openData(dir string, sync bolt.Sync) (*bolt.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("-data: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dir, dataFile), bolt.Options{Sync: sync})
	if err != nil {
		return nil, fmt.Errorf("-data %s: %w", dir, err)
	}
	return db, nil
}

// savedUsers reads the users the data file keeps; nil when it keeps none.
func savedUsers(db *bolt.DB) (server.Users, error) {
	b, err := db.Blob(usersBlob)
	if err != nil || b == nil {
		return nil, err
	}
	var users server.Users
	if err := json.Unmarshal(b, &users); err != nil {
		return nil, fmt.Errorf("the users in the data file do not read: %w", err)
	}
	return users, nil
}

// saveUsers returns what keeps the users in the data file.
func saveUsers(db *bolt.DB) func(server.Users) error {
	return func(u server.Users) error {
		b, err := json.Marshal(u)
		if err != nil {
			return err
		}
		return db.SetBlob(usersBlob, b)
	}
}

// tokenKey is the key that signs tokens: the data file's, made on the
// first start, so that tokens outlive a restart.
func tokenKey(db *bolt.DB) ([]byte, error) {
	key, err := db.Blob(keyBlob)
	if err != nil || key != nil {
		return key, err
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return key, db.SetBlob(keyBlob, key)
}

// seeded reports whether a first start has built the demo in the file.
func seeded(db *bolt.DB) (bool, error) {
	b, err := db.Blob(seededBlob)
	return b != nil, err
}

// restore makes a copy (GET /api/v1/operator/snapshot) the data file of a
// directory: it checks that the copy reads, and that no server has the
// directory open, then puts it in place of the file there.
func restore(args []string) error {
	c, err := parseArgs(args, os.Stderr, true)
	if err != nil {
		return err
	}
	if c.copy == "" || c.data == "" {
		return errors.New("restore: give the copy, and the data directory with -data: ambit restore -data DIR FILE")
	}
	tmp := filepath.Join(c.data, dataFile+".restoring")
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := copyFile(c.copy, tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp)
	check, err := bolt.Open(tmp)
	if err != nil {
		return fmt.Errorf("restore: %s: %w", c.copy, err)
	}
	m, err := newManager(c, check, slog.New(slog.DiscardHandler)) // opens the store: the records read
	if err == nil {
		err = m.Close(context.Background())
	}
	check.Close()
	if err != nil {
		return fmt.Errorf("restore: %s: %w", c.copy, err)
	}
	live, err := bolt.Open(filepath.Join(c.data, dataFile))
	if err != nil { // a server has it open
		return fmt.Errorf("restore: stop the server first: %w", err)
	}
	defer live.Close()
	return os.Rename(tmp, filepath.Join(c.data, dataFile))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Sync(), out.Close())
}
