package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/record"
)

// templateListPage lists the record templates: the built-in ones, then the clinic's own.
type templateListPage struct {
	Items []templateItem
}

// templateItem is one template in the list.
type templateItem struct {
	ID        scheduling.ID
	Name      string
	Specialty string
	Fields    int
	BuiltIn   bool
	Created   string
}

// templateList shows every record template.
func (con *Console) templateList(c *gin.Context) {
	store, err := con.records()
	if err != nil {
		con.fail(c, err)
		return
	}
	list, err := store.ListTemplates(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	page := templateListPage{}
	for _, t := range list {
		page.Items = append(page.Items, templateItem{ID: t.ID, Name: t.Name, Specialty: t.Specialty, Fields: len(t.Fields),
			BuiltIn: t.BuiltIn, Created: templateCreated(t)})
	}
	con.render(c, http.StatusOK, "settings_templates", "Record templates", page)
}

// templateCreated says who made a clinic's template and when.
func templateCreated(t record.Template) string {
	if t.BuiltIn {
		return "Comes with the product"
	}
	var parts []string
	if t.CreatedBy != nil {
		parts = append(parts, "by "+string(*t.CreatedBy))
	}
	if t.CreatedAt != nil {
		parts = append(parts, "on "+t.CreatedAt.Format("2 January 2006"))
	}
	return "Added " + strings.Join(parts, " ")
}

// templateView is one template with its fields as a doctor will meet them.
type templateView struct {
	Template record.Template
	Created  string
	Fields   []templateFieldView
}

// templateFieldView is a field of a template, described.
type templateFieldView struct {
	Label, Key, Type, Detail string
	Required                 bool
}

// templateTypeNames are the field types in a manager's words.
var templateTypeNames = map[string]string{record.TypeNumber: "Number", record.TypeChoice: "Choice",
	record.TypeText: "Text", record.TypeYesNo: "Yes / no"}

// templateView shows one template.
func (con *Console) templateView(c *gin.Context) {
	id, ok := scheduling.ParseID(c.Param("id"))
	if !ok {
		con.errorPage(c, http.StatusNotFound, "Not found", "There is no such template.")
		return
	}
	store, err := con.records()
	if err != nil {
		con.fail(c, err)
		return
	}
	t, err := store.GetTemplate(c.Request.Context(), id)
	if err != nil {
		con.fail(c, err)
		return
	}
	page := templateView{Template: *t, Created: templateCreated(*t)}
	for _, f := range t.Fields {
		page.Fields = append(page.Fields, templateFieldView{Label: f.Label, Key: f.Key, Type: templateTypeNames[f.Type],
			Detail: templateFieldDetail(f), Required: f.Required})
	}
	con.render(c, http.StatusOK, "settings_template", t.Name, page)
}

// templateFieldDetail sums up a field's unit and range, or its options.
func templateFieldDetail(f record.Field) string {
	switch f.Type {
	case record.TypeChoice:
		return strings.Join(f.Options, " · ")
	case record.TypeNumber:
		var parts []string
		if f.Unit != "" {
			parts = append(parts, "in "+f.Unit)
		}
		switch {
		case !f.Min.IsZero() && !f.Max.IsZero():
			parts = append(parts, "from "+f.Min.String()+" to "+f.Max.String())
		case !f.Min.IsZero():
			parts = append(parts, "at least "+f.Min.String())
		case !f.Max.IsZero():
			parts = append(parts, "at most "+f.Max.String())
		}
		return strings.Join(parts, ", ")
	}
	return ""
}
