package scheduling

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// Examination is a bookable service: its price, duration, where and by whom it is performed, and when.
// Price is the default price, read in the currency of each branch that offers it; Prices overrides it
// at some branches (DESIGN 3.4: prices are per branch, in the branch's currency).
type Examination struct {
	ID              ID            `json:"id"`
	Code            string        `json:"code"`
	Name            string        `json:"name"`
	Price           int64         `json:"price"`
	Prices          []BranchPrice `json:"prices"`
	DurationMinutes int           `json:"duration_minutes"`
	Taxable         bool          `json:"taxable"`
	NeedsRoom       bool          `json:"needs_room"`
	BranchIDs       []ID          `json:"branch_ids"`
	DoctorIDs       []ID          `json:"doctor_ids"`
	RoomIDs         []ID          `json:"room_ids"`
	Windows         []WeeklyHours `json:"windows"`

	windows availability.Weekly // Windows in the engine's form
}

// ExaminationInput is what creating an examination takes. RoomIDs optionally limits which rooms
// of its branches it may use (none: any room).
type ExaminationInput struct {
	Code            string        `json:"code"`
	Name            string        `json:"name"`
	Price           *int64        `json:"price"`
	Prices          []PriceInput  `json:"prices"`
	DurationMinutes *int          `json:"duration_minutes"`
	Taxable         *bool         `json:"taxable"`
	NeedsRoom       bool          `json:"needs_room"`
	BranchIDs       []ID          `json:"branch_ids"`
	DoctorIDs       []ID          `json:"doctor_ids"`
	RoomIDs         []ID          `json:"room_ids"`
	Windows         []WeeklyHours `json:"windows"`
}

func (in *ExaminationInput) validate() ([]weeklySpan, error) {
	var err error
	if in.Code, err = cleanText("code", in.Code, MaxCodeLength); err != nil {
		return nil, err
	}
	if in.Name, err = cleanText("name", in.Name, MaxNameLength); err != nil {
		return nil, err
	}
	switch {
	case in.Code == "":
		return nil, rule("missing_code", "code is required")
	case in.Name == "":
		return nil, rule("missing_name", "name is required")
	case in.Price == nil:
		return nil, rule("missing_price", "price is required (minor units)")
	case *in.Price < 0:
		return nil, rule("negative_price", "price must not be negative")
	case in.DurationMinutes == nil:
		return nil, rule("missing_duration", "duration_minutes is required")
	case *in.DurationMinutes <= 0 || *in.DurationMinutes > 1440:
		return nil, rule("invalid_duration", "duration_minutes must be between 1 and 1440")
	case in.Taxable == nil:
		return nil, rule("missing_taxable", "taxable is required")
	case len(in.BranchIDs) == 0:
		return nil, rule("missing_branches", "branch_ids needs at least one branch")
	case len(in.RoomIDs) > 0 && !in.NeedsRoom:
		return nil, rule("rooms_without_need", "room_ids is only meaningful with needs_room")
	}
	for _, l := range []struct {
		field string
		n     int
	}{{"branch_ids", len(in.BranchIDs)}, {"doctor_ids", len(in.DoctorIDs)}, {"room_ids", len(in.RoomIDs)}, {"prices", len(in.Prices)}} {
		if err := checkListLength(l.field, l.n, MaxListLength); err != nil {
			return nil, err
		}
	}
	if err := checkPrices(in.Prices, in.BranchIDs); err != nil {
		return nil, err
	}
	return parseWeekly(in.Windows, "windows")
}

// CreateExamination adds an examination with its branches, doctors, rooms and service windows.
func (s *Service) CreateExamination(ctx context.Context, in ExaminationInput) (*Examination, error) {
	windows, err := in.validate()
	if err != nil {
		return nil, err
	}
	var id ID
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO examinations (code, name, price, duration_minutes, taxable, needs_room, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			in.Code, in.Name, *in.Price, *in.DurationMinutes, *in.Taxable, in.NeedsRoom, s.now()).Scan(&id)
		if code, _ := pgCode(err); code == sqlstateUnique {
			return conflict("duplicate_code", "an examination with code %q exists", in.Code)
		} else if err != nil {
			return fmt.Errorf("insert examination: %w", err)
		}
		return writeParts(ctx, tx, id, in, windows, "")
	})
	if err != nil {
		return nil, err
	}
	return s.GetExamination(ctx, id)
}

// writeParts writes an examination's branches, doctors, rooms, prices and service windows, checking
// that its rooms belong to its branches and, when currency is given, that every branch keeps its
// accounts in it.
func writeParts(ctx context.Context, tx pgx.Tx, id ID, in ExaminationInput, windows []weeklySpan, currency string) error {
	for _, l := range []struct {
		table, col, what, owner string
		ids                     []ID
	}{
		{"examination_branches", "branch_id", "branch", "branches", in.BranchIDs},
		{"examination_doctors", "doctor_id", "doctor", "doctors", in.DoctorIDs},
		{"examination_rooms", "room_id", "room", "rooms", in.RoomIDs},
	} {
		if err := linkIDs(ctx, tx, l.table, l.col, l.what, l.owner, id, l.ids); err != nil {
			return err
		}
	}
	if err := checkBranchCurrency(ctx, tx, in.BranchIDs, currency); err != nil {
		return err
	}
	if err := insertPrices(ctx, tx, id, in.Prices); err != nil {
		return err
	}
	if len(in.RoomIDs) > 0 {
		var foreign int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM rooms WHERE id = ANY($1) AND branch_id <> ALL($2)`,
			in.RoomIDs, in.BranchIDs).Scan(&foreign); err != nil {
			return fmt.Errorf("check rooms: %w", err)
		}
		if foreign > 0 {
			return rule("room_outside_branches", "every room in room_ids must belong to one of branch_ids")
		}
	}
	return insertWeekly(ctx, tx, "examination_windows", []string{"examination_id"}, []any{id}, windows)
}

// linkIDs inserts the (examination, other) pairs in one statement, however many there are; an
// unknown other id (not in the owner table) is a not-found error naming the lowest one.
func linkIDs(ctx context.Context, tx pgx.Tx, table, col, what, owner string, examID ID, ids []ID) error {
	if len(ids) == 0 {
		return nil
	}
	var missing *ID
	if err := tx.QueryRow(ctx, `SELECT min(x) FROM unnest($1::bigint[]) x WHERE NOT EXISTS (SELECT 1 FROM `+owner+` o WHERE o.id = x)`,
		ids).Scan(&missing); err != nil {
		return fmt.Errorf("check %s: %w", table, err)
	}
	if missing != nil {
		return notFound(what, *missing)
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+table+` (examination_id, `+col+`) SELECT $1, x FROM unnest($2::bigint[]) x
		ON CONFLICT DO NOTHING`, examID, ids)
	if code, _ := pgCode(err); code == sqlstateForeignKey {
		return notFound(what, ids[0])
	} else if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

const examinationSelect = `
	SELECT e.id, e.code, e.name, e.price, e.duration_minutes, e.taxable, e.needs_room,
		array(SELECT branch_id FROM examination_prices WHERE examination_id = e.id ORDER BY branch_id),
		array(SELECT price FROM examination_prices WHERE examination_id = e.id ORDER BY branch_id),
		array(SELECT branch_id FROM examination_branches WHERE examination_id = e.id ORDER BY 1),
		array(SELECT doctor_id FROM examination_doctors WHERE examination_id = e.id ORDER BY 1),
		array(SELECT room_id FROM examination_rooms WHERE examination_id = e.id ORDER BY 1),
		array(SELECT weekday FROM examination_windows WHERE examination_id = e.id ORDER BY weekday, start_minute),
		array(SELECT start_minute FROM examination_windows WHERE examination_id = e.id ORDER BY weekday, start_minute),
		array(SELECT end_minute FROM examination_windows WHERE examination_id = e.id ORDER BY weekday, start_minute)
	FROM examinations e`

func scanExamination(row pgx.CollectableRow) (Examination, error) {
	var e Examination
	var wd, st, en []int
	var priceBranches []ID
	var prices []int64
	err := row.Scan(&e.ID, &e.Code, &e.Name, &e.Price, &e.DurationMinutes, &e.Taxable, &e.NeedsRoom,
		&priceBranches, &prices, &e.BranchIDs, &e.DoctorIDs, &e.RoomIDs, &wd, &st, &en)
	e.Windows, e.windows = weeklyColumns(wd, st, en)
	e.Prices = make([]BranchPrice, len(priceBranches))
	for i := range priceBranches {
		e.Prices[i] = BranchPrice{BranchID: priceBranches[i], Price: prices[i]}
	}
	return e, err
}

// GetExamination returns one examination.
func (s *Service) GetExamination(ctx context.Context, id ID) (*Examination, error) {
	rows, err := s.db.Query(ctx, examinationSelect+` WHERE e.id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("get examination: %w", err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, scanExamination)
	if err != nil {
		return nil, noRows(err, "examination", id)
	}
	return &e, nil
}

// ListExaminations returns the examinations offered at a branch, or all when branchID is 0.
func (s *Service) ListExaminations(ctx context.Context, branchID ID) ([]Examination, error) {
	// Two statements rather than "$1 = 0 OR ...", which would type the id as a 32-bit integer.
	sql, args := examinationSelect+` ORDER BY e.id`, []any{}
	if branchID != 0 {
		sql = examinationSelect + ` WHERE EXISTS (SELECT 1 FROM examination_branches b
			WHERE b.examination_id = e.id AND b.branch_id = $1) ORDER BY e.id`
		args = append(args, branchID)
	}
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list examinations: %w", err)
	}
	return pgx.CollectRows(rows, scanExamination)
}

// checkExaminationIDs bounds the examinations of one session.
func checkExaminationIDs(ids []ID) error {
	if len(ids) == 0 {
		return rule("missing_examinations", "at least one examination is required")
	}
	if len(ids) > 20 {
		return rule("too_many_examinations", "a session holds at most 20 examinations")
	}
	return nil
}

// inOrder arranges loaded examinations in the order asked for (repeats allowed); an id that was not
// found is a not-found error.
func inOrder(found []Examination, ids []ID) ([]Examination, error) {
	byID := make(map[ID]Examination, len(found))
	for _, e := range found {
		byID[e.ID] = e
	}
	out := make([]Examination, len(ids))
	for i, id := range ids {
		e, ok := byID[id]
		if !ok {
			return nil, notFound("examination", id)
		}
		out[i] = e
	}
	return out, nil
}
