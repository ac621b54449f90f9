package record

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"clinic/scheduling"
)

const templateSelect = `SELECT id, name, specialty, fields, built_in, created_by, created_at FROM record_templates`

// CreateTemplate adds a clinic's own template. A name already in use (in any case) answers 409.
func (s *Store) CreateTemplate(ctx context.Context, actor scheduling.Actor, in TemplateInput) (*Template, error) {
	fields, err := in.clean()
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, fmt.Errorf("record: template fields: %w", err)
	}
	now := stamp(s.now())
	t := &Template{Name: in.Name, Specialty: in.Specialty, Fields: fields, CreatedBy: &actor, CreatedAt: &now}
	err = s.db.QueryRow(ctx, `INSERT INTO record_templates (name, specialty, fields, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, t.Name, t.Specialty, raw, actor, now).Scan(&t.ID)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return nil, scheduling.Conflict("duplicate_template", "a template named %q already exists", t.Name).
			WithDetails(map[string]any{"field": "name"})
	}
	if err != nil {
		return nil, fmt.Errorf("record: create template: %w", err)
	}
	return t, nil
}

// ListTemplates answers every template: the built-in ones first, then the clinic's, by name.
func (s *Store) ListTemplates(ctx context.Context) ([]Template, error) {
	rows, err := s.db.Query(ctx, templateSelect+` ORDER BY built_in DESC, lower(name), id`)
	if err != nil {
		return nil, fmt.Errorf("record: list templates: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Template, error) {
		var t Template
		return t, scanTemplate(row, &t)
	})
	if err != nil {
		return nil, fmt.Errorf("record: list templates: %w", err)
	}
	return list, nil
}

// GetTemplate answers one template.
func (s *Store) GetTemplate(ctx context.Context, id scheduling.ID) (*Template, error) {
	return getTemplate(ctx, s.db, id)
}

func getTemplate(ctx context.Context, db scheduling.DB, id scheduling.ID) (*Template, error) {
	var t Template
	err := scanTemplate(db.QueryRow(ctx, templateSelect+` WHERE id = $1`, id), &t)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, scheduling.NotFound("record template", id)
	}
	if err != nil {
		return nil, fmt.Errorf("record: template %d: %w", id, err)
	}
	return &t, nil
}

func scanTemplate(row pgx.Row, t *Template) error {
	var raw []byte
	if err := row.Scan(&t.ID, &t.Name, &t.Specialty, &raw, &t.BuiltIn, &t.CreatedBy, &t.CreatedAt); err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &t.Fields); err != nil {
		return fmt.Errorf("template %d fields: %w", t.ID, err)
	}
	if t.CreatedAt != nil {
		at := t.CreatedAt.UTC()
		t.CreatedAt = &at
	}
	return nil
}

// stamp is a time as the database keeps it: to the microsecond. Templates belong to no branch, so
// their times are answered in UTC.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
