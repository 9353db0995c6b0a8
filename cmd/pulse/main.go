// Command pulse runs the Pulse community bot and its operator tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // time zones work on machines without a zoneinfo database
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// errUsage marks errors that are the caller's wrong use of a command.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usagef(format string, args ...any) error { return errUsage{fmt.Sprintf(format, args...)} }

type command struct {
	name, summary string
	run           func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch of the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands = []command{
	{"run", "start the bot with every adapter the config enables", cmdRun},
	{"console", "chat with Pulse in the terminal, or feed it a transcript", cmdConsole},
	{"demo", "simulate a community and show what members, admins and owners see", cmdDemo},
	{"members", "list a group's members with points, XP, level and streak", cmdMembers},
	{"stats", "a group's engagement metrics for a window, with the previous window", cmdStats},
	{"digest", "print a group's weekly digest as it would be posted, and its chart", cmdDigest},
	{"export", "one row per day of a group's daily metrics, as CSV or JSON", cmdExport},
	{"import", "import history: DiscordChatExporter exports, MEE6 leaderboards, WeChat CSV", cmdImport},
	{"backup", "write a consistent copy of the database, also while the bot runs", cmdBackup},
	{"version", "print the version", cmdVersion},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := pulse(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// pulse runs one command line and returns the exit code: 0 success,
// 2 wrong usage, 1 anything else.
func pulse(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		printUsage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var u errUsage
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &u):
			fmt.Fprintf(e.stderr, "pulse %s: %s\nRun 'pulse %s -h' for usage.\n", c.name, u.msg, c.name)
			return 2
		default:
			fmt.Fprintf(e.stderr, "pulse %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "pulse: unknown command %q\n\n", args[0])
	printUsage(e.stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Pulse: check-ins, points, levels and engagement numbers for community group chats.")
	fmt.Fprintln(w, "\nUsage: pulse COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'pulse COMMAND -h' for a command's flags.")
}

// newFlags makes a command's flag set that reports errors as usage errors.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: pulse %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; a bad flag is a usage error (the flag package has
// already printed the usage).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "pulse", version)
	return nil
}
