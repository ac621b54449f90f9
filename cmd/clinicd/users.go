package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
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
		line, err := stdinLine("password")
		if err != nil {
			return err
		}
		*password = line
	}
	store, closeStore, err := openAccess(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	id, err := store.CreateUser(ctx, *email, *password, r, d)
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
