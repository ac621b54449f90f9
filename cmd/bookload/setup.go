package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/migrations"
	"clinic/scheduling"
	"clinic/web/access"
)

// slotMinutes is the length of the one examination, and so of every booked slot.
const slotMinutes = 15

// patientCount is how many patients the bookings are spread over.
const patientCount = 100

// clinic is the scratch clinic the load books into: doctorIDs[i] belongs to client i.
type clinic struct {
	branchID   scheduling.ID
	examID     scheduling.ID
	doctorIDs  []scheduling.ID
	patientIDs []scheduling.ID
	token      string
}

// scratchName returns a fresh database name, clinic_load_<8 hex digits>.
func scratchName() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "clinic_load_" + hex.EncodeToString(b)
}

// adminExec runs one statement in the admin database over a connection of its own, so that it still
// works after a cancelled context has broken some other connection.
func adminExec(ctx context.Context, admin *pgx.ConnConfig, sql string) error {
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to admin database: %w", err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// createDatabase creates an empty database on the admin server.
func createDatabase(ctx context.Context, admin *pgx.ConnConfig, name string) error {
	if err := adminExec(ctx, admin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// dropDatabase drops a scratch database, ending any session still connected to it. It uses its own
// context so that it also runs after Ctrl-C.
func dropDatabase(admin *pgx.ConnConfig, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := adminExec(ctx, admin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// checkpoint flushes dirty buffers so that neither measurement pays for the other's writes.
func checkpoint(ctx context.Context, admin *pgx.ConnConfig) {
	if err := adminExec(ctx, admin, "CHECKPOINT"); err != nil {
		fmt.Println("note: CHECKPOINT failed (not a superuser?); measurements may overlap:", err)
	}
}

// openPool connects to database name on the admin URL's server with conns connections, all opened up
// front so the first requests do not pay for connecting.
func openPool(ctx context.Context, adminURL, name string, conns int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(adminURL)
	if err != nil {
		return nil, fmt.Errorf("admin URL: %w", err)
	}
	cfg.ConnConfig.Database = name
	cfg.MaxConns, cfg.MinConns = int32(conns), int32(conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool on %s: %w", name, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database %s does not answer: %w", name, err)
	}
	return pool, nil
}

// buildClinic migrates the scratch database and fills it through the scheduling service: one UTC
// branch open around the clock, one doctor per client attending all week, a 15-minute examination
// they all perform without a room, patientCount patients, and an owner API token.
func buildClinic(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger, doctors int) (*clinic, error) {
	if err := migrations.Up(ctx, pool, logger); err != nil {
		return nil, err
	}
	svc := scheduling.NewService(pool, logger, time.Now, scheduling.Config{})
	allWeek := make([]scheduling.WeeklyHours, 7)
	for d := range allWeek {
		allWeek[d] = scheduling.WeeklyHours{Weekday: d + 1, Start: "00:00", End: "24:00"}
	}
	zero, interval, horizon := 0, slotMinutes, 730
	branch, err := svc.CreateBranch(ctx, scheduling.BranchInput{
		Name: "Load test branch", Timezone: "UTC", Currency: "EUR", TaxRateBP: &zero,
		SlotIntervalMinutes: &interval, MinNoticeMinutes: &zero, HorizonDays: &horizon, Hours: allWeek,
	})
	if err != nil {
		return nil, fmt.Errorf("create branch: %w", err)
	}
	c := &clinic{branchID: branch.ID}
	for i := range doctors {
		d, err := svc.CreateDoctor(ctx, fmt.Sprintf("Doctor %d", i+1), "load testing")
		if err != nil {
			return nil, fmt.Errorf("create doctor: %w", err)
		}
		att := scheduling.Attendance{DoctorID: d.ID, BranchID: branch.ID, Weekly: allWeek}
		if _, err := svc.SetAttendance(ctx, att); err != nil {
			return nil, fmt.Errorf("set attendance: %w", err)
		}
		c.doctorIDs = append(c.doctorIDs, d.ID)
	}
	price, duration, taxable := int64(5000), slotMinutes, false
	exam, err := svc.CreateExamination(ctx, scheduling.ExaminationInput{
		Code: "LOAD15", Name: "Load test check-up", Price: &price, DurationMinutes: &duration,
		Taxable: &taxable, BranchIDs: []scheduling.ID{branch.ID}, DoctorIDs: c.doctorIDs,
	})
	if err != nil {
		return nil, fmt.Errorf("create examination: %w", err)
	}
	c.examID = exam.ID
	for i := range patientCount {
		p, err := svc.CreatePatient(ctx, scheduling.PatientInput{
			Name: fmt.Sprintf("Patient %d", i+1), Phone: fmt.Sprintf("+351912%06d", i+1),
		})
		if err != nil {
			return nil, fmt.Errorf("create patient: %w", err)
		}
		c.patientIDs = append(c.patientIDs, p.ID)
	}
	if c.token, err = access.NewStore(pool, time.Now).CreateToken(ctx, access.Owner, "bookload", 0); err != nil {
		return nil, err
	}
	return c, nil
}
