// Package docs holds the API guide, which the server serves at GET /api/v1/docs.
package docs

import _ "embed"

// API is the API guide in Markdown (docs/api.md).
//
//go:embed api.md
var API []byte
