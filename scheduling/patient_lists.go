package scheduling

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Patient search limits.
const (
	// DefaultPatientPage and MaxPatientPage are the page sizes of a patient search.
	DefaultPatientPage = 20
	MaxPatientPage     = 100
	// MinNameQuery is the fewest characters of a name a search takes; MinPhoneQuery the fewest digits
	// of a phone.
	MinNameQuery  = 2
	MinPhoneQuery = 3
)

// PatientSearch asks for one page of the patients whose name or phone contains Query.
type PatientSearch struct {
	// Query is a fragment of a name, in any case and with or without accents, or of a phone number:
	// digits, with or without +, spaces, dashes or brackets.
	Query string
	// Cursor is the NextCursor of the previous page, given with the same Query; empty for the first.
	Cursor string
	// Limit is the page size; 0 is DefaultPatientPage.
	Limit int
}

// PatientPage is one page of patients; NextCursor is empty on the last.
type PatientPage struct {
	Items      []Patient `json:"items"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// SearchPatients finds patients by a fragment of name or phone, best match first: the whole name
// (or phone), then names that start with the fragment, then names with a word that starts with it,
// then the rest, each group by name.
func (s *Service) SearchPatients(ctx context.Context, q PatientSearch) (*PatientPage, error) {
	text, err := cleanText("q", q.Query, MaxNameLength)
	if err != nil {
		return nil, err
	}
	limit, err := pageLimit(q.Limit, DefaultPatientPage, MaxPatientPage)
	if err != nil {
		return nil, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var match, rank string
	if digits, ok := phoneDigits(text); ok {
		if match, rank, err = s.phoneMatch(text, digits, arg); err != nil {
			return nil, err
		}
	} else {
		if utf8.RuneCountInString(text) < MinNameQuery {
			return nil, shortQuery()
		}
		match, rank = nameMatch(arg(text))
	}
	query := `SELECT ` + patientColumns + `, p.rank, p.key FROM (SELECT p.*, ` + rank + ` AS rank,
		patient_search_key(p.name) AS key FROM patients p WHERE ` + match + `) p`
	scope := "patients:" + text
	if q.Cursor != "" {
		var r int
		var key string
		var id ID
		if err := decodeCursor(scope, q.Cursor, &r, &key, &id); err != nil {
			return nil, err
		}
		query += ` WHERE (p.rank, p.key, p.id) > (` + arg(r) + `, ` + arg(key) + `, ` + arg(id) + `)`
	}
	rows, err := s.db.Query(ctx, query+` ORDER BY p.rank, p.key, p.id LIMIT `+arg(limit+1), args...)
	if err != nil {
		return nil, fmt.Errorf("search patients: %w", err)
	}
	defer rows.Close()
	page := &PatientPage{Items: []Patient{}}
	var lastRank int
	var lastKey string
	for rows.Next() {
		if len(page.Items) == limit {
			last := page.Items[limit-1]
			page.NextCursor = encodeCursor(scope, lastRank, lastKey, last.ID)
			break
		}
		p, err := scanPatient(rows, &lastRank, &lastKey)
		if err != nil {
			return nil, fmt.Errorf("search patients: %w", err)
		}
		page.Items = append(page.Items, *p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search patients: %w", err)
	}
	return page, nil
}

func shortQuery() error {
	return rule("query_too_short", "type at least %d letters of a name or %d digits of a phone", MinNameQuery, MinPhoneQuery)
}

// likeKey is the search form of the text in param, with LIKE's wildcards escaped.
func likeKey(param string) string {
	return `replace(replace(replace(patient_search_key(` + param + `), '\', '\\'), '%', '\%'), '_', '\_')`
}

// nameMatch matches and ranks names containing the text in param, compared without accents or case.
func nameMatch(param string) (match, rank string) {
	const key = `patient_search_key(p.name)`
	esc := likeKey(param)
	match = key + ` LIKE '%' || ` + esc + ` || '%'`
	rank = `CASE WHEN ` + key + ` = patient_search_key(` + param + `) THEN 0
		WHEN ` + key + ` LIKE ` + esc + ` || '%' THEN 1
		WHEN ` + key + ` LIKE '% ' || ` + esc + ` || '%' THEN 2 ELSE 3 END`
	return match, rank
}

// phoneDigits reports whether text is (part of) a phone number, and its digits.
func phoneDigits(text string) (string, bool) {
	var digits strings.Builder
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case unicode.IsSpace(r) || strings.ContainsRune("+-()./", r):
		default:
			return "", false
		}
	}
	return digits.String(), digits.Len() > 0
}

// phoneMatch matches stored phones (E.164) containing the digits typed. A leading 00 is the
// international prefix; with a home region a single leading 0 is a trunk prefix that E.164 drops.
// A complete number matches itself first, in whatever format it was typed.
func (s *Service) phoneMatch(text, digits string, arg func(any) string) (match, rank string, err error) {
	if strings.HasPrefix(digits, "00") && strings.HasPrefix(text, "00") {
		digits = digits[2:]
	}
	if len(digits) < MinPhoneQuery {
		return "", "", shortQuery()
	}
	conds := []string{`p.phone LIKE ` + arg("%"+digits+"%")}
	if s.cfg.PhoneRegion != "" && digits[0] == '0' && len(digits) > MinPhoneQuery {
		conds = append(conds, `p.phone LIKE `+arg("%"+digits[1:]+"%"))
	}
	rank = "1"
	if e164, err := NormalizePhone(text, s.cfg.PhoneRegion); err == nil {
		exact := arg(e164)
		conds = append(conds, `p.phone = `+exact)
		rank = `CASE WHEN p.phone = ` + exact + ` THEN 0 ELSE 1 END`
	}
	return "(" + strings.Join(conds, " OR ") + ")", rank, nil
}

// PatientSessions lists a patient's visits, newest first, a page at a time like ListSessions.
func (s *Service) PatientSessions(ctx context.Context, patientID ID, cursor string, limit int) (*SessionPage, error) {
	if _, err := s.GetPatient(ctx, patientID); err != nil {
		return nil, err
	}
	return s.ListSessions(ctx, SessionFilter{PatientID: patientID, NewestFirst: true, Cursor: cursor, Limit: limit})
}
