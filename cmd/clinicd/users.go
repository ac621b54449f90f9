package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"clinic/web/access"
)

func userCreate(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "login email")
	role := fs.String("role", "", "owner, manager, doctor or receptionist")
	password := fs.String("password", "", "password (read from standard input when omitted)")
	doctor := doctorFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	r, d, err := roleAndDoctor("account", *role, *doctor)
	if err != nil {
		return err
	}
	if *password == "" {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		*password = strings.TrimRight(line, "\r\n")
	}
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	id, err := access.NewStore(pool, time.Now).CreateUser(ctx, *email, *password, r, d)
	if err != nil {
		return err
	}
	if d != 0 {
		fmt.Printf("user %d %s (%s, acts for doctor %d)\n", id, strings.ToLower(strings.TrimSpace(*email)), r, d)
		return nil
	}
	fmt.Printf("user %d %s (%s)\n", id, strings.ToLower(strings.TrimSpace(*email)), r)
	return nil
}
