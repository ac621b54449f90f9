package web

import (
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

func (s *Server) createBranch(c *gin.Context) {
	var in scheduling.BranchInput
	if !decode(c, &in) {
		return
	}
	created(c, s, func() (any, error) { return s.sched.CreateBranch(c.Request.Context(), in) })
}

func (s *Server) listBranches(c *gin.Context) {
	list(c, s, func() (any, error) { return s.sched.ListBranches(c.Request.Context()) })
}

func (s *Server) getBranch(c *gin.Context) {
	if id, ok := pathID(c, "branch"); ok {
		ok200(c, s, func() (any, error) { return s.sched.GetBranch(c.Request.Context(), id) })
	}
}

func (s *Server) updateBranch(c *gin.Context) {
	id, ok := pathID(c, "branch")
	var in scheduling.BranchInput
	if ok && decode(c, &in) {
		ok200(c, s, func() (any, error) { return s.sched.UpdateBranch(c.Request.Context(), id, in) })
	}
}

func (s *Server) createRoom(c *gin.Context) {
	var in struct {
		BranchID scheduling.ID `json:"branch_id"`
		Name     string        `json:"name"`
	}
	if decode(c, &in) {
		created(c, s, func() (any, error) { return s.sched.CreateRoom(c.Request.Context(), in.BranchID, in.Name) })
	}
}

func (s *Server) listRooms(c *gin.Context) {
	if branch, ok := queryID(c, "branch_id"); ok {
		list(c, s, func() (any, error) { return s.sched.ListRooms(c.Request.Context(), branch) })
	}
}

func (s *Server) createDoctor(c *gin.Context) {
	var in struct {
		Name      string `json:"name"`
		Specialty string `json:"specialty"`
	}
	if decode(c, &in) {
		created(c, s, func() (any, error) { return s.sched.CreateDoctor(c.Request.Context(), in.Name, in.Specialty) })
	}
}

func (s *Server) listDoctors(c *gin.Context) {
	list(c, s, func() (any, error) { return s.sched.ListDoctors(c.Request.Context()) })
}

func (s *Server) getDoctor(c *gin.Context) {
	if id, ok := pathID(c, "doctor"); ok {
		ok200(c, s, func() (any, error) { return s.sched.GetDoctor(c.Request.Context(), id) })
	}
}

func (s *Server) setAttendance(c *gin.Context) {
	id, ok := pathID(c, "doctor")
	var in scheduling.Attendance
	if ok && decode(c, &in) {
		in.DoctorID = id
		ok200(c, s, func() (any, error) { return s.sched.SetAttendance(c.Request.Context(), in) })
	}
}

func (s *Server) getAttendance(c *gin.Context) {
	id, ok := pathID(c, "doctor")
	if !ok {
		return
	}
	branch, ok := queryID(c, "branch_id")
	if !ok {
		return
	}
	if branch == 0 {
		abort(c, http.StatusUnprocessableEntity, "missing_branch", "branch_id is required")
		return
	}
	ok200(c, s, func() (any, error) { return s.sched.GetAttendance(c.Request.Context(), id, branch) })
}

func (s *Server) createExamination(c *gin.Context) {
	var in scheduling.ExaminationInput
	if decode(c, &in) {
		created(c, s, func() (any, error) { return s.sched.CreateExamination(c.Request.Context(), in) })
	}
}

func (s *Server) listExaminations(c *gin.Context) {
	if branch, ok := queryID(c, "branch_id"); ok {
		list(c, s, func() (any, error) { return s.sched.ListExaminations(c.Request.Context(), branch) })
	}
}

func (s *Server) getExamination(c *gin.Context) {
	if id, ok := pathID(c, "examination"); ok {
		ok200(c, s, func() (any, error) { return s.sched.GetExamination(c.Request.Context(), id) })
	}
}

func (s *Server) createBlock(c *gin.Context) {
	var in scheduling.BlockInput
	if decode(c, &in) {
		created(c, s, func() (any, error) { return s.sched.CreateBlock(c.Request.Context(), in) })
	}
}

// listBlocks answers GET /api/v1/blocks?branch_id=&from=&to= (local dates, inclusive).
func (s *Server) listBlocks(c *gin.Context) {
	branch, ok := queryID(c, "branch_id")
	if !ok {
		return
	}
	from, to, ok := s.dateRange(c)
	if ok {
		list(c, s, func() (any, error) { return s.sched.ListBlocks(c.Request.Context(), branch, from, to) })
	}
}

func (s *Server) deleteBlock(c *gin.Context) {
	if id, ok := pathID(c, "block"); ok {
		noContent(c, s, s.sched.DeleteBlock(c.Request.Context(), id))
	}
}

// dateRange reads the from and to query dates; a malformed one answers 400.
func (s *Server) dateRange(c *gin.Context) (from, to scheduling.Date, ok bool) {
	var err error
	if from, err = scheduling.ParseDate(c.Query("from")); err != nil {
		s.fail(c, err)
		return from, to, false
	}
	if to, err = scheduling.ParseDate(c.Query("to")); err != nil {
		s.fail(c, err)
		return from, to, false
	}
	return from, to, true
}

// created, ok200 and list run a core call and answer 201, 200 or {"items": [...]}, or the error.
func created(c *gin.Context, s *Server, call func() (any, error)) {
	respond(c, s, http.StatusCreated, call)
}
func ok200(c *gin.Context, s *Server, call func() (any, error)) { respond(c, s, http.StatusOK, call) }

func list(c *gin.Context, s *Server, call func() (any, error)) {
	respond(c, s, http.StatusOK, func() (any, error) {
		items, err := call()
		if v := reflect.ValueOf(items); v.Kind() == reflect.Slice && v.IsNil() {
			items = []any{}
		}
		return gin.H{"items": items}, err
	})
}

// noContent answers 204, or the error.
func noContent(c *gin.Context, s *Server, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func respond(c *gin.Context, s *Server, status int, call func() (any, error)) {
	v, err := call()
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, v)
}
