package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulsebot/pulse/store"
)

type backupArgs struct{}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "-db FILE -o OUT")
	dbPath := fs.String("db", "pulse.db", "database `file`")
	out := fs.String("o", "", "backup `file` to write (required; must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("-o is required")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s already exists; choose a new file", *out)
	}
	// Write beside the target and rename, so a failed backup never leaves
	// a file that looks complete.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".pulse-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = operator(ctx, *dbPath, "backup", backupArgs{},
		func(db *store.DB) error {
			_, err := db.Backup(tmp)
			return err
		}, tmp)
	if err != nil {
		return err
	}
	return finishBackup(e, tmp, *out)
}

func finishBackup(e *env, tmp *os.File, out string) error {
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, _ := tmp.Stat()
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(e.stdout, "backup written to %s (%d bytes)\n", out, st.Size())
	return nil
}
