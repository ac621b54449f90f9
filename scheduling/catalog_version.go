package scheduling

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CatalogVersion reads the catalog version, which every change to the catalog's tables moves on
// (migration 00009). A reader may keep what it derived from the catalog for as long as it reads the
// same version.
func (s *Service) CatalogVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.QueryRow(ctx, catalogVersionSQL).Scan(&v); err != nil {
		return 0, fmt.Errorf("read the catalog version: %w", err)
	}
	return v, nil
}

// QueueCatalogVersion queues the catalog version's read in b, to be stored in v when b is sent:
// for callers that read it in a round trip they make anyway.
func QueueCatalogVersion(b *pgx.Batch, v *int64) {
	b.Queue(catalogVersionSQL).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(v); err != nil {
			return fmt.Errorf("read the catalog version: %w", err)
		}
		return nil
	})
}
