package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// maxShownErrors is how many failed answers are kept to print, and maxShownBytes how much of each.
const (
	maxShownErrors = 5
	maxShownBytes  = 400
)

// serve starts handler on a loopback port and returns its base URL and a function that stops it.
func serve(handler http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	go srv.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// loadResult is what the booking clients measured.
type loadResult struct {
	booked    int
	failed    int
	elapsed   time.Duration
	latencies []time.Duration // of every request, sorted
	shown     []string        // the first few failures
}

// percentile returns the p-th percentile (0 < p ≤ 100) of the sorted latencies.
func (r *loadResult) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.latencies))*p/100+0.999999) - 1
	return r.latencies[max(0, min(i, len(r.latencies)-1))]
}

// bookingBody is the body of POST /api/v1/sessions as an API client writes it (ids are strings).
type bookingBody struct {
	PatientID      string    `json:"patient_id"`
	BranchID       string    `json:"branch_id"`
	DoctorID       string    `json:"doctor_id"`
	ExaminationIDs []string  `json:"examination_ids"`
	Start          time.Time `json:"start"`
}

func idString[T ~int64](id T) string { return strconv.FormatInt(int64(id), 10) }

// runLoad books for d with one goroutine per doctor of c. Client i books doctor i at first, first+15m,
// first+30m, … so clients never contend for a slot. A request in flight when the time is up is
// finished and counted; a cancelled ctx (Ctrl-C) stops everything at once.
func runLoad(ctx context.Context, baseURL string, c *clinic, first time.Time, d time.Duration) (*loadResult, error) {
	clients := len(c.doctorIDs)
	hc := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true},
	}
	defer hc.CloseIdleConnections()
	res := &loadResult{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i, doctor := range c.doctorIDs {
		wg.Go(func() {
			var lat []time.Duration
			booked, failed := 0, 0
			for k := 0; time.Now().Before(deadline) && ctx.Err() == nil; k++ {
				body, _ := json.Marshal(bookingBody{
					PatientID: idString(c.patientIDs[(i+k*clients)%len(c.patientIDs)]),
					BranchID:  idString(c.branchID), DoctorID: idString(doctor),
					ExaminationIDs: []string{idString(c.examID)},
					Start:          first.Add(time.Duration(k*slotMinutes) * time.Minute),
				})
				t0 := time.Now()
				status, answer, err := post(ctx, hc, baseURL+"/api/v1/sessions", c.token, body)
				if errors.Is(err, context.Canceled) && ctx.Err() != nil {
					break
				}
				lat = append(lat, time.Since(t0))
				if err == nil && status == http.StatusCreated {
					booked++
					continue
				}
				failed++
				mu.Lock()
				if len(res.shown) < maxShownErrors {
					if err != nil {
						res.shown = append(res.shown, err.Error())
					} else {
						res.shown = append(res.shown, fmt.Sprintf("%d %s", status, answer))
					}
				}
				mu.Unlock()
			}
			mu.Lock()
			res.booked += booked
			res.failed += failed
			res.latencies = append(res.latencies, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res, ctx.Err()
}

// post sends one booking and returns the status, and the start of the answer's body unless it is a
// 201. The body is always read to its end so the keep-alive connection can be reused.
func post(ctx context.Context, hc *http.Client, url, token string, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusCreated {
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, "", err
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxShownBytes))
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, string(answer), err
}
