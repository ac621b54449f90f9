package scheduling

import (
	"fmt"

	"github.com/jackc/pgx/v5"
)

// QueueCatalogVersion queues a read of the catalog version in b, to be stored in v when b is sent:
// for callers that read it in a round trip they make anyway. Every change to the catalog's tables
// moves the version on (migration 00009): a reader may keep what it derived from the catalog for as
// long as it reads the same version.
func QueueCatalogVersion(b *pgx.Batch, v *int64) {
	b.Queue(catalogVersionSQL).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(v); err != nil {
			return fmt.Errorf("read the catalog version: %w", err)
		}
		return nil
	})
}
