// Package listeners names the session-change listeners that every process serving the product wires
// into scheduling, so the server and the load tool run the same work with each change.
package listeners

import (
	"clinic/billing"
	"clinic/scheduling"
	"clinic/scheduling/record"
)

// All returns new listeners, in the order they are called: records first, so that a delete refused
// for a clinical record is refused before billing looks at money.
func All() []scheduling.Listener {
	return []scheduling.Listener{record.KeepRecords, billing.NewSessionListener()}
}
