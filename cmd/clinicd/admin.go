package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"clinic/scheduling"
	"clinic/web/access"
)

// doctorFlag adds --doctor to fs: the doctor a doctor's token or account acts for.
func doctorFlag(fs *flag.FlagSet) *int64 {
	return fs.Int64("doctor", 0, "the doctor a doctor's token or account acts for (required with --role doctor)")
}

// roleAndDoctor reads --role and --doctor together, so that a doctor without its doctor is refused
// before anything is written, with a message naming the flag.
func roleAndDoctor(what, role string, doctor int64) (access.Role, scheduling.ID, error) {
	r, err := access.ParseRole(role)
	if err != nil {
		return "", 0, err
	}
	switch {
	case r == access.Doctor && doctor == 0:
		return "", 0, fmt.Errorf("a doctor's %s needs --doctor ID, the doctor it acts for", what)
	case doctor < 0:
		return "", 0, fmt.Errorf("--doctor %d is not a doctor id", doctor)
	case r != access.Doctor && doctor != 0:
		return "", 0, fmt.Errorf("--doctor goes only with --role doctor; a %s %s acts for no single doctor", r, what)
	}
	return r, scheduling.ID(doctor), nil
}

// parseFlags parses args into fs and refuses stray arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

func tokenCreate(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	role := fs.String("role", "", "owner, manager, doctor or receptionist")
	name := fs.String("name", "", "what the token is for")
	doctor := doctorFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	r, d, err := roleAndDoctor("token", *role, *doctor)
	if err != nil {
		return err
	}
	store, closeStore, err := openAccess(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	token, err := store.CreateToken(ctx, r, *name, d)
	if err != nil {
		return err
	}
	fmt.Println(token)
	return nil
}

// tokenList prints every token, one a line, without its secret (which is not kept).
func tokenList(ctx context.Context, cfg Config, args []string) error {
	if err := parseFlags(flag.NewFlagSet("token list", flag.ContinueOnError), args); err != nil {
		return err
	}
	store, closeStore, err := openAccess(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	tokens, err := store.ListTokens(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tROLE\tDOCTOR\tCREATED\tSTATUS")
	for _, t := range tokens {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, orDash(t.Name), t.Role, orDash(doctorOf(t.DoctorID)),
			t.CreatedAt.UTC().Format(time.RFC3339), tokenStatus(t))
	}
	return w.Flush()
}

func tokenStatus(t access.Token) string {
	if t.RevokedAt == nil {
		return "active"
	}
	return "revoked " + t.RevokedAt.UTC().Format(time.RFC3339)
}

func doctorOf(id scheduling.ID) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(int64(id), 10)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// tokenRevoke stops the token with the given id from authenticating.
func tokenRevoke(ctx context.Context, cfg Config, args []string) error {
	if len(args) != 1 {
		return errors.New("token revoke takes one token id (see clinicd token list)")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%q is not a token id (see clinicd token list)", args[0])
	}
	store, closeStore, err := openAccess(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	t, err := store.RevokeToken(ctx, id)
	if err != nil {
		return err
	}
	fmt.Printf("token %d %s: %s\n", t.ID, orDash(t.Name), tokenStatus(t))
	return nil
}

// tokenCheck reads a token on standard input (so it stays out of process listings) and succeeds only
// when it authenticates, printing whose it is.
func tokenCheck(ctx context.Context, cfg Config, args []string) error {
	if err := parseFlags(flag.NewFlagSet("token check", flag.ContinueOnError), args); err != nil {
		return err
	}
	line, err := stdinLine("token")
	if err != nil {
		return err
	}
	store, closeStore, err := openAccess(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	p, err := store.Authenticate(ctx, strings.TrimSpace(line))
	if errors.Is(err, access.ErrUnauthenticated) {
		return errors.New("the token is not valid: unknown, mistyped or revoked")
	}
	if err != nil {
		return err
	}
	fmt.Printf("active: %s (%s)\n", p.Actor(), p.Role)
	return nil
}

// openAccess connects to the database for one admin command and returns its token and user store,
// and the function that closes the connection.
func openAccess(ctx context.Context, cfg Config) (*access.Store, func(), error) {
	pool, err := connect(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return access.NewStore(pool, time.Now), pool.Close, nil
}

// stdinLine reads one line of standard input (a secret kept out of process listings), without its
// line ending.
func stdinLine(what string) (string, error) {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read %s: %w", what, err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
