package console

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed assets
var assetFS embed.FS

// asset is one embedded file, served under a name that carries its content hash.
type asset struct {
	body        []byte
	contentType string
}

// assets maps each file's plain name (app.css) to its hashed URL, and each hashed name to the file.
type assets struct {
	urls   map[string]string
	byName map[string]asset
}

// loadAssets hashes every file under assets/ once: a changed file gets a new URL, so browsers may
// cache each URL forever and still never run stale code.
func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{urls: map[string]string{}, byName: map[string]asset{}}
	err := fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		ext := path.Ext(name)
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.urls[name] = Prefix + "/assets/" + hashed
		a.byName[hashed] = asset{body: body, contentType: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("console assets: %w", err)
	}
	return a, nil
}

// url is the hashed URL of a file under assets/, for templates; an unknown name is an error, so a
// page that names a missing asset fails its test instead of loading nothing.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("console: no asset %q", name)
	}
	return u, nil
}

// asset serves a file by its hashed name, cached for a year: the name changes when the file does.
func (con *Console) asset(c *gin.Context) {
	a, ok := con.assets.byName[c.Param("file")]
	if !ok {
		con.errorPage(c, http.StatusNotFound, "Not found", "There is no such file.")
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, a.contentType, a.body)
}
