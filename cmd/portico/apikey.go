package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
)

// apikey manages API keys from the command line, for bootstrap and
// scripts: create prints the key once; list shows names, roles and last
// use; revoke stops a key at once.
//
//	portico apikey create -name crm-sync -role admin
//	portico apikey list
//	portico apikey revoke <id>
func apikey(ctx context.Context, dir *directory.Service, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("apikey: want create, list or revoke")
	}
	ctx = domain.WithActor(ctx, domain.Actor{Kind: domain.ActorSystem})
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
		name := fs.String("name", "", "a unique name, e.g. crm-sync")
		role := fs.String("role", "admin", "admin or readonly")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *name == "" || (*role != "admin" && *role != "readonly") {
			return errors.New("apikey create: -name is required and -role is admin or readonly")
		}
		k, secret, err := dir.CreateAPIKey(ctx, *name, domain.APIRole(*role))
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "id:   %s\nname: %s\nrole: %s\nkey:  %s\n(the key is shown only now)\n", k.ID, k.Name, k.Role, secret)
		return err
	case "list":
		keys, err := dir.APIKeys(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		_, _ = fmt.Fprintln(tw, "ID\tNAME\tROLE\tLAST USED\tREVOKED")
		for _, k := range keys {
			_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, when(k.LastUsedAt), when(k.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		if len(args) != 2 {
			return errors.New("apikey revoke: give the key's id")
		}
		id, err := uuid.Parse(args[1])
		if err != nil {
			return fmt.Errorf("apikey revoke: %q is not an id", args[1])
		}
		if err := dir.RevokeAPIKey(ctx, id); err != nil {
			return err
		}
		_, err = fmt.Fprintln(out, "revoked", id)
		return err
	}
	return fmt.Errorf("apikey: unknown action %q (want create, list or revoke)", args[0])
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
