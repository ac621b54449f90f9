package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// spec checks requests and answers against openapi.json.
type spec struct {
	validator.Validator
	errorShape *base.Schema // components/schemas/Error: what any refusal looks like
	schemas    schema_validation.SchemaValidator
}

// loadSpec parses openapi.json once per test binary. Security requirements are not checked by it:
// tests send missing and wrong tokens on purpose, and TestRolesMatchTheSpec checks every operation's
// roles against the router.
var loadSpec = sync.OnceValues(func() (*spec, error) {
	doc, err := libopenapi.NewDocument(openAPI)
	if err != nil {
		return nil, fmt.Errorf("openapi.json does not parse: %w", err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("openapi.json does not build: %w", err)
	}
	opts := []config.Option{config.WithFormatAssertions(), config.WithoutSecurityValidation()}
	v := validator.NewValidatorFromV3Model(&model.Model, opts...)
	v.SetDocument(doc)
	if ok, problems := v.ValidateDocument(); !ok {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document:\n%s", describe(problems))
	}
	shape, ok := model.Model.Components.Schemas.Get("Error")
	if !ok {
		return nil, errors.New("openapi.json has no components/schemas/Error")
	}
	return &spec{Validator: v, errorShape: shape.Schema(), schemas: schema_validation.NewSchemaValidator(opts...)}, nil
})

// specCheck is what one request asks of the spec check, and what the check found.
type specCheck struct {
	malformed bool     // the test sends the request broken on purpose: only the answer is checked
	problems  []string // filled in by specTransport
}

type specCheckKey struct{}

// withSpecCheck makes the transport report into chk instead of failing the whole test.
func withSpecCheck(ctx context.Context, chk *specCheck) context.Context {
	return context.WithValue(ctx, specCheckKey{}, chk)
}

// specTransport sends requests on and checks each request and its answer against openapi.json. A
// request sent through call reports what it found to call; one sent straight through the client
// fails the test that built the bundle.
type specTransport struct {
	next http.RoundTripper
	t    testing.TB
}

// RoundTrip implements http.RoundTripper.
func (st *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	v, err := loadSpec()
	if err != nil {
		return nil, err
	}
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	chk, _ := req.Context().Value(specCheckKey{}).(*specCheck)
	var problems []string
	if chk == nil || !chk.malformed {
		copied := req.Clone(req.Context())
		copied.Body = io.NopCloser(bytes.NewReader(body))
		if ok, errs := v.ValidateHttpRequestSync(copied); !ok {
			problems = append(problems, fmt.Sprintf("the request breaks openapi.json (if the test sends it broken on purpose, pass malformed to tb.call):\n%s", describe(errs)))
		}
	}

	sent := req.Clone(req.Context())
	sent.Body = io.NopCloser(bytes.NewReader(body))
	sent.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	resp, err := st.next.RoundTrip(sent)
	if err != nil {
		return nil, err
	}
	// An event stream is checked by its status and headers only: it does not end while the caller reads.
	var answer []byte
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		answer, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(answer))
	}
	if msg := checkAnswer(v, req, resp, answer, chk != nil && chk.malformed); msg != "" {
		problems = append(problems, msg)
	}

	switch {
	case chk != nil:
		chk.problems = problems
	case len(problems) > 0:
		st.t.Errorf("%s %s → %d:\n%s", req.Method, req.URL.RequestURI(), resp.StatusCode, strings.Join(problems, "\n"))
	}
	return resp, nil
}

// checkAnswer validates an answer to req against openapi.json; it returns "" when the answer matches.
// A request the spec has no operation for (an unknown path or method, sent on purpose) must be refused
// in the error shape.
func checkAnswer(v *spec, req *http.Request, resp *http.Response, answer []byte, malformed bool) string {
	copied := *resp
	copied.Body = io.NopCloser(bytes.NewReader(answer))
	ok, errs := v.ValidateHttpResponse(req, &copied)
	if ok {
		return ""
	}
	if malformed && len(errs) == 1 && errs[0].ValidationType == helpers.PathValidation {
		if resp.StatusCode < 400 {
			return fmt.Sprintf("%s %s is not in openapi.json, yet it answered %d", req.Method, req.URL.Path, resp.StatusCode)
		}
		if ok, errs = v.schemas.ValidateSchemaBytes(v.errorShape, answer); ok {
			return ""
		}
	}
	return fmt.Sprintf("the answer breaks openapi.json:\n%s\nanswer: %s", describe(errs), abbreviate(answer))
}

// requestBody reads a request's body without consuming the caller's copy.
func requestBody(req *http.Request) ([]byte, error) {
	switch {
	case req.Body == nil || req.Body == http.NoBody:
		return nil, nil
	case req.GetBody != nil:
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	default:
		defer req.Body.Close()
		return io.ReadAll(req.Body)
	}
}

// describe lists validation errors one a line, with the field each one is about.
func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  - %s", e.Message)
		if e.Reason != "" && e.Reason != e.Message {
			fmt.Fprintf(&b, ": %s", e.Reason)
		}
		b.WriteByte('\n')
		for _, f := range e.SchemaValidationErrors {
			where := f.FieldPath
			if where == "" {
				where = "/" + strings.Join(f.InstancePath, "/")
			}
			fmt.Fprintf(&b, "      at %s: %s\n", where, f.Reason)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// abbreviate keeps a failure message readable when an answer is long.
func abbreviate(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
