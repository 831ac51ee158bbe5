package cluster

import (
	"fmt"
	"math"
)

// Status is the status of a task, and the calculated status of a stage or
// request (Ambari's HostRoleStatus).
type Status uint8

// The statuses.
const (
	Pending Status = iota
	Queued
	InProgress
	Completed
	Failed
	TimedOut
	Aborted
)

var statusNames = [...]string{"PENDING", "QUEUED", "IN_PROGRESS", "COMPLETED", "FAILED", "TIMEDOUT", "ABORTED"}

// String returns the status's API name.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", s)
}

// ParseStatus reads a status's API name.
func ParseStatus(name string) (Status, error) {
	for s, n := range statusNames {
		if n == name {
			return Status(s), nil
		}
	}
	return 0, fmt.Errorf("%q is not a status", name)
}

// Done reports whether the status is final.
func (s Status) Done() bool { return s >= Completed }

// Counts counts tasks by status.
type Counts [len(statusNames)]int

// Total is the number of tasks counted.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Summary is the status of a set of tasks (a stage) or of stage statuses
// (a request), by Ambari's rules (its CalculatedStatus): no tasks or all done is
// COMPLETED, all pending is PENDING, then FAILED, TIMEDOUT, and ABORTED
// once nothing is left to run, and IN_PROGRESS otherwise.
func (c Counts) Summary() Status {
	total := c.Total()
	switch {
	case total == 0:
		return Completed
	case c[Pending] == total:
		return Pending
	case c[Failed] > 0:
		return Failed
	case c[TimedOut] > 0:
		return TimedOut
	case c[Aborted] > 0 && c[Pending]+c[Queued]+c[InProgress] == 0:
		return Aborted
	case c[Completed]+c[Failed]+c[TimedOut]+c[Aborted] == total:
		return Completed
	}
	return InProgress
}

// Progress is Ambari's progress_percent: queued tasks count 9 %, running
// ones 35 %, and finished ones 100 %, whatever the outcome (so a failed
// request can show 100), rounded down to a tenth.
func (c Counts) Progress() float64 {
	total := c.Total()
	if total == 0 {
		return 100
	}
	done := c[Completed] + c[Failed] + c[TimedOut] + c[Aborted]
	p := (0.09*float64(c[Queued]) + 0.35*float64(c[InProgress]) + float64(done)) / float64(total) * 100
	return math.Floor(p*10) / 10
}
