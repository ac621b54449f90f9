package web

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/docs"
)

//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", openAPI)
}

// serveDocs answers the API guide, docs/api.md, as Markdown.
func serveDocs(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "text/markdown; charset=utf-8", docs.API)
}
