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

	"clinic/web/access"
)

func tokenCreate(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	role := fs.String("role", "", "owner, manager, doctor or receptionist")
	name := fs.String("name", "", "what the token is for")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := access.ParseRole(*role)
	if err != nil {
		return err
	}
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	token, err := access.NewStore(pool).CreateToken(ctx, r, *name)
	if err != nil {
		return err
	}
	fmt.Println(token)
	return nil
}

func userCreate(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "login email")
	role := fs.String("role", "", "owner, manager, doctor or receptionist")
	password := fs.String("password", "", "password (read from standard input when omitted)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := access.ParseRole(*role)
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
	id, err := access.NewStore(pool).CreateUser(ctx, *email, *password, r)
	if err != nil {
		return err
	}
	fmt.Printf("user %d %s (%s)\n", id, strings.ToLower(*email), r)
	return nil
}
