package cli

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/portico/portico/pkg/client"
)

// groupIDs resolves group names (case-insensitive) or ids to ids through
// the groups list, in the order given.
func groupIDs(ctx context.Context, c *conn, names []string) ([]uuid.UUID, error) {
	if len(names) == 0 {
		return nil, nil
	}
	groups, err := allGroups(ctx, c)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(names))
	for _, name := range names {
		id, err := pickGroup(groups, strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func pickGroup(groups []client.Group, name string) (uuid.UUID, error) {
	var found []client.Group
	for _, g := range groups {
		if strings.EqualFold(g.Name, name) || g.ID.String() == strings.ToLower(name) {
			found = append(found, g)
		}
	}
	switch len(found) {
	case 1:
		return found[0].ID, nil
	case 0:
		known := make([]string, 0, len(groups))
		for _, g := range groups {
			known = append(known, fmt.Sprintf("%q", g.Name))
		}
		if len(known) == 0 {
			return uuid.Nil, usageErr("--group %q: the server has no groups", name)
		}
		return uuid.Nil, usageErr("--group %q: no such group; there are %s", name, firstFew(known, 10))
	default:
		return uuid.Nil, usageErr("--group %q names %d groups; give the group's id instead", name, len(found))
	}
}

func allGroups(ctx context.Context, c *conn) ([]client.Group, error) {
	var all []client.Group
	params := &client.ListGroupsParams{Limit: ptr(resultsPage)}
	for {
		resp, err := c.api.ListGroupsWithResponse(ctx, params)
		if err != nil {
			return nil, transportErr("listing groups", err)
		}
		if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
			return nil, problemErr("listing groups", resp.StatusCode(), resp.Body)
		}
		all = append(all, resp.JSON200.Data...)
		if resp.JSON200.NextCursor == nil || *resp.JSON200.NextCursor == "" {
			return all, nil
		}
		params.Cursor = resp.JSON200.NextCursor
	}
}
